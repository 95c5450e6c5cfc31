"""The workbench: a web app (FastAPI, Jinja2 templates, htmx, ECharts) over the newest published
snapshot of the build, for marketers, analysts, store staff and admins (`portrait serve`)."""
