"""The workbench's FastAPI application: sign-in, the pages (portrait/web/pages/, one module each),
its own static assets, and the rules every response follows (no outside request: a
Content-Security-Policy of 'self'; personal data masked by role; no API docs pages)."""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

import yaml
from fastapi import FastAPI, Request
from fastapi.responses import RedirectResponse
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from starlette.middleware.sessions import SessionMiddleware

from portrait import snapshots
from portrait.project import PROJECT_DIR
from portrait.web import auth, privacy
from portrait.web.data import SnapshotReader
from portrait.web.preview import DraftCompiler

HERE = Path(__file__).parent
ASSETS = HERE / "static" / "node_modules"
LABELS = yaml.safe_load((HERE / "labels.yml").read_text(encoding="utf-8"))
LANGUAGES = ("zh", "en")
SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    "frame-ancestors 'none'; form-action 'self'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
}


@dataclass(frozen=True)
class Settings:
    """Where the workbench reads and writes: the snapshot folder, the accounts file, the access log,
    the key that signs session cookies, and the dbt project drafts are compiled with and saved to."""

    snapshot_dir: Path
    users_file: Path
    access_log: Path
    secret_key: str
    project_dir: Path = PROJECT_DIR

    @classmethod
    def from_environment(cls) -> Settings:
        """The defaults and environment variables (portrait.snapshots, auth, privacy); the session key
        is kept in build/workbench/secret_key beside the accounts file (created once, mode 0600)."""
        users = auth.users_file()
        return cls(snapshots.snapshot_dir(), users, privacy.access_log_path(), _secret_key(users.parent / "secret_key"))


def _secret_key(path: Path) -> str:
    if not path.is_file():
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "w", encoding="utf-8") as out:
            out.write(secrets.token_urlsafe(32))
    return path.read_text(encoding="utf-8").strip()


class SignInRequired(Exception):
    """Raised by `current_user` when the request has no signed-in account."""


def create_app(settings: Settings) -> FastAPI:
    """The workbench application for `settings`."""
    app = FastAPI(title="Portrait workbench", docs_url=None, redoc_url=None, openapi_url=None)
    app.state.settings = settings
    app.state.accounts = auth.Accounts(settings.users_file)
    app.state.reader = SnapshotReader(settings.snapshot_dir)
    app.state.access_log = privacy.AccessLog(settings.access_log)
    app.state.compiler = DraftCompiler(settings.project_dir)
    app.state.templates = Jinja2Templates(directory=HERE / "templates")
    app.add_middleware(
        SessionMiddleware, secret_key=settings.secret_key, session_cookie="portrait_session", same_site="strict"
    )

    @app.middleware("http")
    async def security_headers(request: Request, call_next):
        response = await call_next(request)
        for name, value in SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        return response

    @app.exception_handler(SignInRequired)
    async def sign_in(request: Request, _: SignInRequired):
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        return RedirectResponse(f"/login?{urlencode({'next': target})}", status_code=303)

    @app.exception_handler(snapshots.SnapshotError)
    async def no_snapshot(request: Request, error: snapshots.SnapshotError):
        return render(request, "no_snapshot.html", {"error": str(error)}, status_code=503)

    app.mount("/static/htmx", StaticFiles(directory=ASSETS / "htmx.org" / "dist"), name="htmx")
    app.mount("/static/echarts", StaticFiles(directory=ASSETS / "echarts" / "dist"), name="echarts")
    app.mount("/static/app", StaticFiles(directory=HERE / "static" / "app"), name="app")

    from portrait.web.pages import PAGES

    for page in PAGES:
        app.include_router(page.router)
    return app


def current_user(request: Request) -> auth.User:
    """The signed-in user of the request (a FastAPI dependency); SignInRequired when there is none
    or the account was removed since (roles are read from the accounts file on every request)."""
    name = request.session.get("user")
    role = request.app.state.accounts.names().get(name) if name else None
    if role not in auth.ROLES:
        request.session.clear()
        raise SignInRequired
    return auth.User(name=name, role=auth.ROLES[role])


def language(request: Request) -> str:
    """zh (default) or en: ?lang= sets it for the session."""
    chosen = request.query_params.get("lang")
    if chosen in LANGUAGES:
        request.session["lang"] = chosen
    return request.session.get("lang", "zh")


def render(request: Request, template: str, context: dict, status_code: int = 200):
    """A page from templates/ with the request's language (`t(key)` gives a label, `lang` the code)."""
    lang = language(request)
    return request.app.state.templates.TemplateResponse(
        request,
        template,
        {"t": lambda key: LABELS.get(key, {}).get(lang, key), "lang": lang, **context},
        status_code=status_code,
    )
