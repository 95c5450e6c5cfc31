"""Workbench accounts and roles.

Accounts live in a YAML file ($PORTRAIT_USERS_FILE, default build/workbench/users.yml, written
with mode 0600): {name: {role, password_hash}}, the hash argon2id (argon2-cffi's defaults, RFC
9106). Roles and their rights are data (roles.yml beside this file).
"""

from __future__ import annotations

import os
import re
import secrets
from dataclasses import dataclass
from pathlib import Path

import yaml
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from portrait.errors import PortraitError
from portrait.project import PROJECT_DIR

DEFAULT_USERS_FILE = "build/workbench/users.yml"
NAME_PATTERN = re.compile(r"^[a-z][a-z0-9_.-]{1,31}$")
MIN_PASSWORD_LENGTH = 8
_HASHER = PasswordHasher()
# verified against when the name is unknown, so that a wrong name costs the time a wrong password does
_DUMMY_HASH = _HASHER.hash(secrets.token_urlsafe(16))


class AccountError(PortraitError):
    """An account cannot be added or read (bad name, role or password; unreadable file)."""


@dataclass(frozen=True)
class Role:
    """A role's rights (roles.yml)."""

    name: str
    full_personal_data: bool
    sensitive_tags: bool
    save_segments: bool
    save_tags: bool
    manage_users: bool


def _load_roles() -> dict[str, Role]:
    rights = yaml.safe_load((Path(__file__).parent / "roles.yml").read_text(encoding="utf-8"))
    return {
        name: Role(
            name=name,
            full_personal_data=values["personal_data"] == "full",
            sensitive_tags=bool(values["sensitive_tags"]),
            save_segments=bool(values["save_segments"]),
            save_tags=bool(values["save_tags"]),
            manage_users=bool(values["manage_users"]),
        )
        for name, values in rights.items()
    }


ROLES = _load_roles()


@dataclass(frozen=True)
class User:
    """A signed-in account."""

    name: str
    role: Role


def users_file(explicit: str | Path | None = None) -> Path:
    """The accounts file: the explicit one, else $PORTRAIT_USERS_FILE, else build/workbench/users.yml;
    relative paths are relative to the project folder."""
    path = Path(explicit or os.environ.get("PORTRAIT_USERS_FILE", DEFAULT_USERS_FILE))
    return path if path.is_absolute() else PROJECT_DIR / path


class Accounts:
    """The accounts of one users file."""

    def __init__(self, path: Path):
        self.path = path

    def _read(self) -> dict[str, dict]:
        if not self.path.is_file():
            return {}
        try:
            accounts = yaml.safe_load(self.path.read_text(encoding="utf-8")) or {}
        except yaml.YAMLError as error:
            raise AccountError(f"{self.path} is not valid YAML: {str(error).splitlines()[0]}") from None
        if not isinstance(accounts, dict):
            raise AccountError(f"{self.path} must map account names to {{role, password_hash}}")
        return accounts

    def _write(self, accounts: dict[str, dict]) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        partial = self.path.with_name(f".{self.path.name}.partial")
        with open(os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "w", encoding="utf-8") as out:
            yaml.safe_dump(accounts, out, allow_unicode=True, sort_keys=True)
        os.replace(partial, self.path)

    def names(self) -> dict[str, str]:
        """{name: role} of every account."""
        return {name: values.get("role") for name, values in self._read().items()}

    def add(self, name: str, role: str, password: str) -> None:
        """Adds or replaces an account. AccountError naming the field for a bad name, role or password."""
        if not NAME_PATTERN.fullmatch(name):
            raise AccountError(
                f"name {name!r}: 2-32 characters, lower-case letters, digits, _ . -, starting with a letter"
            )
        if role not in ROLES:
            raise AccountError(f"role {role!r}: one of {', '.join(ROLES)}")
        if len(password) < MIN_PASSWORD_LENGTH:
            raise AccountError(f"password: at least {MIN_PASSWORD_LENGTH} characters")
        accounts = self._read()
        accounts[name] = {"role": role, "password_hash": _HASHER.hash(password)}
        self._write(accounts)

    def remove(self, name: str) -> None:
        """Removes an account; AccountError when there is none of that name."""
        accounts = self._read()
        if accounts.pop(name, None) is None:
            raise AccountError(f"name {name!r}: no such account")
        self._write(accounts)

    def verify(self, name: str, password: str) -> User | None:
        """The user when `password` is the account's, else None (unknown names take as long)."""
        account = self._read().get(name)
        try:
            _HASHER.verify(account["password_hash"] if account else _DUMMY_HASH, password)
        except (VerificationError, InvalidHashError):
            return None
        if account is None or account.get("role") not in ROLES:
            return None
        return User(name=name, role=ROLES[account["role"]])

    def ensure_admin(self) -> str | None:
        """When the file holds no account: adds `admin` (role admin) with a random password and
        returns the password (shown once); else None."""
        if self._read():
            return None
        password = secrets.token_urlsafe(12)
        self.add("admin", "admin", password)
        return password
