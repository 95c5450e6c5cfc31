"""`portrait serve`: the workbench web server, and `portrait users`: its accounts."""

from __future__ import annotations

import argparse
import getpass
import sys
import threading

from portrait import snapshots, warehouse
from portrait.commands.options import HelpFormatter, positive_int
from portrait.web import auth

DESCRIPTION = """Start the workbench (a web app for marketers and analysts) on http://HOST:PORT,
reading the newest published snapshot of the build ($PORTRAIT_SNAPSHOT_DIR, default
build/snapshots; `portrait build` publishes one after each successful build, and the server reads
a newer one without restarting). With no snapshot yet but a built database, one is published
first. With no account yet, an `admin` account is created and its password printed once; add
others with `portrait users add`.

examples:
  portrait serve
  portrait serve --port 8080"""

MAX_PORT = 65535


def port_number(text: str) -> int:
    """A TCP port, 1 to 65535 (an argparse type)."""
    value = positive_int(text)
    if value > MAX_PORT:
        raise argparse.ArgumentTypeError(f"expected a port from 1 to {MAX_PORT}, got {value}")
    return value


def register(commands, shared) -> None:
    """Adds the `serve` and `users` parsers to `commands`."""
    parser = commands.add_parser(
        "serve", help="start the workbench web server", description=DESCRIPTION, formatter_class=HelpFormatter
    )
    parser.add_argument(
        "--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1: this machine only)"
    )
    parser.add_argument("--port", type=port_number, default=8000, help="port (default 8000)")
    parser.set_defaults(parser=parser, handler=run_serve)

    users = commands.add_parser(
        "users",
        help="list, add or remove workbench accounts",
        description="Workbench accounts ($PORTRAIT_USERS_FILE, default build/workbench/users.yml; passwords "
        "hashed with argon2id). Roles: " + ", ".join(auth.ROLES) + " (their rights: portrait/web/roles.yml).",
        formatter_class=HelpFormatter,
    )
    actions = users.add_subparsers(dest="users_action", metavar="<action>", required=True)
    listing = actions.add_parser("list", help="names and roles")
    listing.set_defaults(parser=listing, handler=run_users_list)
    add = actions.add_parser("add", help="add an account or replace its role and password")
    add.add_argument("name")
    add.add_argument("--role", required=True, choices=list(auth.ROLES))
    add.add_argument("--password-stdin", action="store_true", help="read the password from standard input")
    add.set_defaults(parser=add, handler=run_users_add)
    remove = actions.add_parser("remove", help="remove an account")
    remove.add_argument("name")
    remove.set_defaults(parser=remove, handler=run_users_remove)


def run_serve(args: argparse.Namespace) -> int:
    """Publishes a first snapshot and a first account when missing, then serves until interrupted."""
    import uvicorn

    from portrait.web.app import Settings, create_app

    settings = Settings.from_environment()
    try:
        snapshots.current(settings.snapshot_dir)
    except snapshots.SnapshotError:
        database = warehouse.database_path()
        if database.is_file():
            print(f"Published snapshot {snapshots.publish(database, settings.snapshot_dir)}")
    password = auth.Accounts(settings.users_file).ensure_admin()
    if password:
        print(f"Created account admin (role admin) with password {password} in {settings.users_file}")
    print(f"Portrait workbench on http://{args.host}:{args.port}/")
    app = create_app(settings)
    threading.Thread(target=app.state.compiler.warm, daemon=True).start()  # the segment builder's first preview
    uvicorn.run(app, host=args.host, port=args.port, log_level="warning", server_header=False)
    return 0


def run_users_list(args: argparse.Namespace) -> int:
    for name, role in sorted(auth.Accounts(auth.users_file()).names().items()):
        print(f"{name}\t{role}")
    return 0


def run_users_add(args: argparse.Namespace) -> int:
    password = (
        sys.stdin.readline().rstrip("\n") if args.password_stdin else getpass.getpass(f"password for {args.name}: ")
    )
    auth.Accounts(auth.users_file()).add(args.name, args.role, password)
    print(f"account {args.name} ({args.role}) saved")
    return 0


def run_users_remove(args: argparse.Namespace) -> int:
    auth.Accounts(auth.users_file()).remove(args.name)
    print(f"account {args.name} removed")
    return 0
