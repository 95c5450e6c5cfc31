"""The workbench's pages, one module each with a `router` (FastAPI APIRouter)."""

from portrait.web.pages import campaigns, customers, identity, insight, lifecycle, overview, segments, session, tags

# segments (the builder, /segments/new) before insight (/segments/{code})
PAGES = (session, overview, tags, segments, insight, customers, lifecycle, campaigns, identity)
