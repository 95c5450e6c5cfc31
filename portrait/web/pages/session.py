"""Sign-in and sign-out (a signed session cookie naming the account)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse

from portrait.web.app import render

router = APIRouter()


def _local_path(target: str) -> str:
    """`target` when it is a path of this site, else / (no redirect to another site)."""
    return target if target.startswith("/") and not target.startswith("//") else "/"


@router.get("/login")
def login_page(request: Request, next: str = "/"):
    return render(request, "login.html", {"next": _local_path(next), "failed": False})


@router.post("/login")
def login(
    request: Request, name: Annotated[str, Form()], password: Annotated[str, Form()], next: Annotated[str, Form()] = "/"
):
    user = request.app.state.accounts.verify(name, password)
    if user is None:
        return render(request, "login.html", {"next": _local_path(next), "failed": True}, status_code=401)
    language = request.session.get("lang")
    request.session.clear()
    request.session.update({"user": user.name, **({"lang": language} if language else {})})
    return RedirectResponse(_local_path(next), status_code=303)


@router.post("/logout")
def logout(request: Request):
    request.session.clear()
    return RedirectResponse("/login", status_code=303)
