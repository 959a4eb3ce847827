"""Screenshots of the explorer for docs/web.md: ``python -m tests.web.screenshots``.

Serves the package's data on a temporary store and saves PNGs under docs/img/.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from tests.web.conftest import chromium, live_server

OUT = Path(__file__).resolve().parents[2] / "docs" / "img"
SHOTS = [
    ("web-asof.png", "/explorer/asof?org=SCO&on=2005-07-06"),
    ("web-timeline.png", "/explorer/timeline?actor=IND"),
    ("web-map.png", "/explorer/map?org=SCO&on=2017-06-10"),
    ("web-map-grid.png", "/explorer/map?orgs=SCO,CSTO,EAEU,CIS&on=2024-07-05"),
    ("web-proceedings.png", "/explorer/proceedings?org=SCO&applicant=USA"
                            "&status=dialogue_partner&date=2010-06-01"),
    ("web-architecture.png", "/explorer/architecture?on=2008-01-01&region=central-asia"),
    ("web-rules.png", "/explorer/rules"),
    ("web-scenarios.png", "/explorer/scenarios"),
    ("web-scenarios-smp.png", "/explorer/scenarios?scenario=sco-two-wheels-2003"),
]

#: pages whose tables run long: the screenshot shows the first screen only
LONG = {"web-rules.png", "web-timeline.png", "web-scenarios-smp.png", "web-map.png",
        "web-map-grid.png"}


def main() -> None:
    from scomodel.api import Settings, create_app

    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        app = create_app(Settings(db=str(Path(tmp) / "store.sqlite")))
        with live_server(app) as url, chromium() as browser:
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            for name, path in SHOTS:
                response = page.goto(url + path)
                if response is None or response.status != 200:
                    print(f"skipped {path} (not served: the part has not landed)")
                    continue
                page.wait_for_selector("body[data-ready='1']", timeout=30_000)
                if name.startswith("web-scenarios"):
                    page.fill("#runs", "200" if name == "web-scenarios.png" else "0")
                    page.click("#run")
                    page.wait_for_selector("body[data-ran='1']", timeout=60_000)
                if name.startswith("web-map"):
                    page.wait_for_selector("body[data-drawn^='20']", timeout=30_000)
                page.screenshot(path=str(OUT / name), full_page=name not in LONG)
                print(f"wrote {OUT / name}")
            api_page = browser.new_page(viewport={"width": 1280, "height": 900})
            api_page.goto(url + "/docs")
            api_page.wait_for_selector(".opblock", timeout=30_000)
            api_page.screenshot(path=str(OUT / "api-docs.png"))
            print(f"wrote {OUT / 'api-docs.png'}")


if __name__ == "__main__":
    main()
