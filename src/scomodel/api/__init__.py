"""The REST API: every CLI query as a GET endpoint, writes to what-if copies as POST.

``create_app()`` builds the FastAPI application (the web explorer is served by the same
app); ``scomodel serve`` runs it with uvicorn.
"""

from scomodel.api.app import create_app
from scomodel.api.settings import Settings

__all__ = ["create_app", "Settings"]
