"""The workbench's pages, one module each with a `router` (FastAPI APIRouter)."""

from portrait.web.pages import customers, overview, segments, session, tags

PAGES = (session, overview, tags, segments, customers)
