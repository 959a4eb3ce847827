"""The web explorer: static pages served by the API app, plotting with the bundled Plotly.

Nothing comes from a CDN: ``/vendor/plotly.min.js`` is the copy inside the installed
``plotly`` package, and the pages are plain HTML and JavaScript under ``static/``.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI, HTTPException
from fastapi.responses import FileResponse, JSONResponse, RedirectResponse
from fastapi.staticfiles import StaticFiles

__all__ = ["mount", "PAGES", "STATIC_DIR", "plotly_js_path"]

STATIC_DIR = Path(__file__).parent / "static"

#: page slug -> (title, the part it needs)
PAGES: dict[str, tuple[str, str]] = {
    "asof": ("As of a date", "registry"),
    "timeline": ("Timeline", "registry"),
    "map": ("Map", "registry"),
    "architecture": ("Architecture", "architecture"),
    "rules": ("Rules in force", "charter"),
    "proceedings": ("Proceedings", "charter"),
    "scenarios": ("Scenarios", "bargaining"),
    "panel": ("Panel export", "registry"),
    "claims": ("Claims", "claims"),
}


def plotly_js_path() -> Path:
    """The minified Plotly bundled with the plotly Python package."""
    import plotly

    return Path(plotly.__file__).parent / "package_data" / "plotly.min.js"


def mount(app: FastAPI) -> None:
    """Add the explorer's pages, its static files and the vendored Plotly to ``app``."""

    @app.get("/", include_in_schema=False)
    def root() -> RedirectResponse:
        return RedirectResponse("/explorer/asof")

    @app.get("/explorer", include_in_schema=False)
    def explorer_root() -> RedirectResponse:
        return RedirectResponse("/explorer/asof")

    @app.get("/explorer/{page}", include_in_schema=False)
    def page(page: str) -> FileResponse:
        parts = app.state.parts
        if page not in PAGES or PAGES[page][1] not in parts:
            raise HTTPException(404, f"no explorer page {page!r}")
        return FileResponse(STATIC_DIR / f"{page}.html", media_type="text/html")

    @app.get("/vendor/world-110m.json", include_in_schema=False)
    def world_shapes() -> JSONResponse:
        """Natural Earth's countries, projected by the registry's map part (served here,
        never fetched from elsewhere)."""
        from scomodel.registry.maps import svg_shapes

        return JSONResponse(svg_shapes(), headers={"Cache-Control": "public, max-age=86400"})

    @app.get("/vendor/plotly.min.js", include_in_schema=False)
    def plotly_js() -> FileResponse:
        return FileResponse(
            plotly_js_path(), media_type="text/javascript",
            headers={"Cache-Control": "public, max-age=86400"},
        )

    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
