"""``operator-app-server``: create the database, add accounts, serve the API.

The database is a SQLite file in the user's data folder unless ``--database-url``
or ``OPERATOR_APP_DATABASE_URL`` names another (``sqlite:///PATH`` or
``postgresql+psycopg://USER@HOST:PORT/DB``). Mistakes end with one readable line and
exit status 2 (usage) or 1 (could not be done); never a traceback.
"""

from __future__ import annotations

import argparse
import datetime as dt
import getpass
import ipaddress
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from sqlalchemy.exc import OperationalError, SQLAlchemyError

from operator_app import __version__
from operator_app.domain.enums import Role
from operator_app.server.db import (
    ENV_DATABASE_URL,
    Database,
    DatabaseUrlError,
    default_database_path,
    display_url,
    resolve_database_url,
    sqlite_path,
)
from operator_app.server.settings import utc_now

ENV_PASSWORD = "OPERATOR_APP_PASSWORD"
PROG = "operator-app-server"


class CommandError(Exception):
    """The command could not be carried out; the message says why (exit status 1)."""


def _count(text: str, *, most: int) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if not 1 <= value <= most:
        raise argparse.ArgumentTypeError(f"expected a number from 1 to {most:,}, got {value}")
    return value


def _customers(text: str) -> int:
    return _count(text, most=10_000_000)


def _messages(text: str) -> int:
    return _count(text, most=1000)


def _seed(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"expected zero or more, got {value}")
    return value


def _port(text: str) -> int:
    return _count(text, most=65535)


MAX_WORKERS = 64


def _workers(text: str) -> int:
    try:
        return _count(text, most=MAX_WORKERS)
    except argparse.ArgumentTypeError as error:
        raise argparse.ArgumentTypeError(
            f"{error} (worker processes; about one per CPU core is useful)"
        ) from None


def _host(text: str) -> str:
    host = text.strip()
    if not host or len(host) > 253 or any(c.isspace() for c in host):
        raise argparse.ArgumentTypeError(f"{text!r} is not a host name or address")
    return host


def _months(text: str) -> int:
    return _count(text, most=120)


def _monthly_rate(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number such as 0.01, got {text!r}") from None
    if not 0 <= value < 1:
        raise argparse.ArgumentTypeError(
            f"expected a monthly rate from 0 up to (not including) 1, such as 0.01; got {text}"
        )
    return value


def _clock_time(text: str) -> dt.time:
    try:
        hours, minutes = (int(part) for part in text.strip().split(":"))
        return dt.time(hours, minutes)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a time as HH:MM (UTC), got {text!r}") from None


def _existing_file(text: str) -> Path:
    path = Path(text).expanduser()
    if not path.is_file():
        raise argparse.ArgumentTypeError(f"no such file: {text}")
    return path


def _add_database_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--database-url",
        metavar="URL",
        help=f"sqlite:///PATH or postgresql+psycopg://USER@HOST:PORT/DB "
        f"(default: ${ENV_DATABASE_URL}, else {default_database_path()})",
    )


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=PROG, description="Reference server of operator-app: sync, accounts, events."
    )
    parser.add_argument("--version", action="version", version=f"{PROG} {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    init = sub.add_parser(
        "init",
        help="create or upgrade the database schema (optionally with demo data)",
        description="Create the schema, or upgrade it to this version. With --demo, a new "
        "database is marked as a demo and filled with generated customers and the accounts "
        "operator / supervisor / admin (password: demo).",
    )
    _add_database_option(init)
    init.add_argument("--demo", action="store_true", help="mark as demo and load demo data")
    init.add_argument("--customers", type=_customers, metavar="N", help="demo size (default 1000)")
    init.add_argument("--seed", type=_seed, metavar="S", help="demo random seed (default 42)")
    init.add_argument(
        "--messages-per-customer", type=_messages, metavar="M", help="demo average (default 10)"
    )

    user = sub.add_parser(
        "create-user",
        help="add an account",
        description=f"Add an account. The password is asked for on a terminal, or read "
        f"from ${ENV_PASSWORD}.",
    )
    user.add_argument("username", metavar="USERNAME")
    user.add_argument("--role", required=True, choices=[r.value for r in Role])
    user.add_argument("--name", default="", help="full name shown to colleagues")
    _add_database_option(user)

    token = sub.add_parser(
        "create-integration-token",
        help="add a token for the PBX/CTI integration (prints it once)",
        description="A token that may only call POST /api/v1/telephony/incoming. "
        "It is printed once; the server keeps only its hash.",
    )
    token.add_argument("label", metavar="LABEL", help="what uses it, e.g. the PBX's name")
    _add_database_option(token)

    serve = sub.add_parser("serve", help="run the HTTP API")
    serve.add_argument("--host", type=_host, default="127.0.0.1", help="default 127.0.0.1")
    serve.add_argument("--port", type=_port, default=8765, help="default 8765")
    _add_database_option(serve)
    serve.add_argument(
        "--workers",
        type=_workers,
        default=1,
        metavar="N",
        help="worker processes serving requests (default 1; about one per CPU core)",
    )
    serve.add_argument("--tls-cert", type=_existing_file, metavar="PEM", help="serve HTTPS")
    serve.add_argument("--tls-key", type=_existing_file, metavar="PEM", help="key for --tls-cert")
    serve.add_argument(
        "--log-level", choices=["critical", "error", "warning", "info", "debug"], default="info"
    )
    serve.add_argument(
        "--refit-at",
        type=_clock_time,
        default=dt.time(3, 0),
        metavar="HH:MM",
        help="daily customer-value refit at this UTC time (default 03:00)",
    )
    serve.add_argument(
        "--no-refit", action="store_true", help="do not run the daily customer-value refit"
    )
    serve.add_argument(
        "--simulate-traffic",
        action="store_true",
        help="demo databases only: a random customer calls the operator or writes every "
        "few seconds (switch it with PUT /api/v1/admin/demo/traffic)",
    )

    analytics = sub.add_parser(
        "analytics",
        help="customer value analytics",
        description="Customer value analytics over the order history.",
    )
    analytics_sub = analytics.add_subparsers(
        dest="analytics_command", metavar="ACTION", required=True
    )
    refit = analytics_sub.add_parser(
        "refit",
        help="refit the CLV models and update every customer's value figures",
        description="Fit BG/NBD and Gamma-Gamma on the paid orders, then update each "
        "customer's historical CLV (paid minus refunded), predicted CLV, P(alive), expected "
        "purchases and value segment, and the upsell statistics. Changed customers reach "
        "clients through the change feed. `serve` also runs this daily.",
    )
    _add_database_option(refit)
    refit.add_argument("--horizon-months", type=_months, default=12, metavar="N", help="default 12")
    refit.add_argument(
        "--discount-rate",
        type=_monthly_rate,
        default=0.01,
        metavar="RATE",
        help="monthly discount rate for predicted CLV (default 0.01)",
    )
    return parser


def _open_database(url_text: str | None, *, creating: bool) -> Database:
    try:
        url = resolve_database_url(url_text)
    except DatabaseUrlError as error:
        raise argparse.ArgumentTypeError(str(error)) from None
    path = sqlite_path(url)
    if path is not None:
        folder = path.expanduser().resolve().parent
        if creating and url_text is None and not os.environ.get(ENV_DATABASE_URL):
            folder.mkdir(parents=True, exist_ok=True)  # our default folder: ours to create
        if not folder.is_dir():
            raise CommandError(f"the folder {folder} does not exist")
        if not creating and not path.exists():
            raise CommandError(
                f"there is no database at {path}; create it with `{PROG} init` first"
            )
    return Database(url)


def _require_current_schema(db: Database) -> None:
    from operator_app.server.schema import schema_state

    state = schema_state(db)
    if state.revision is None:
        raise CommandError(
            f"{display_url(db.url)} has no operator-app schema; run `{PROG} init` first"
        )
    if not state.is_current:
        raise CommandError(
            f"the schema of {display_url(db.url)} is at {state.revision}; "
            f"run `{PROG} init` to upgrade it"
        )


def cmd_init(args: argparse.Namespace) -> int:
    from operator_app.server.schema import (
        CREATED_KEY,
        DEMO_KEY,
        has_customer_data,
        is_demo,
        schema_state,
        upgrade_to_head,
        write_meta,
    )
    from operator_app.server.seed import SeedError, seed_demo

    db = _open_database(args.database_url, creating=True)
    try:
        where = display_url(db.url)
        state = schema_state(db)
        if state.revision is None and state.other_tables:
            raise CommandError(
                f"{where} already holds tables that are not operator-app's; use an empty database"
            )
        if args.demo and not state.is_blank:
            with db.reading() as session:
                if not is_demo(session):
                    raise CommandError(
                        f"{where} was not created as a demo; demo data goes only into a "
                        "new database (init --demo on an empty one)"
                    )
                if has_customer_data(session):
                    raise CommandError(f"{where} already holds data; demo data was not loaded")
        upgrade_to_head(db)
        now = utc_now()
        with db.writing() as session:
            if state.is_blank:
                write_meta(session, DEMO_KEY, "true" if args.demo else "false")
                write_meta(session, CREATED_KEY, now.isoformat())
        if not args.demo:
            verb = "created" if state.is_blank else "is up to date at"
            print(f"schema {verb} {where}")
            return 0
        try:
            with db.writing() as session:
                report = seed_demo(
                    session,
                    customers=args.customers or 1000,
                    seed=42 if args.seed is None else args.seed,
                    now=now,
                    messages_per_customer=args.messages_per_customer or 10,
                )
        except SeedError as error:
            raise CommandError(
                f"{error}; the schema is ready, the database holds no data"
            ) from None
        print(f"demo database ready at {where}: {report.total:,} rows")
        print("accounts: operator, supervisor, admin — password: demo")
        return 0
    finally:
        db.dispose()


def _read_password() -> str:
    from operator_app.server.security import check_password

    password = os.environ.get(ENV_PASSWORD)
    if password is None:
        if not sys.stdin.isatty():
            raise CommandError(f"no terminal to ask for the password: set ${ENV_PASSWORD}")
        password = getpass.getpass("Password: ")
        if getpass.getpass("Repeat password: ") != password:
            raise CommandError("the passwords differ; nothing was changed")
    problem = check_password(password)
    if problem:
        raise CommandError(problem)
    return password


def cmd_create_user(args: argparse.Namespace) -> int:
    from operator_app.server.accounts import AccountError, create_user
    from operator_app.server.security import check_username, normalize_username

    problem = check_username(normalize_username(args.username))
    if problem:
        raise argparse.ArgumentTypeError(problem)
    db = _open_database(args.database_url, creating=False)
    try:
        _require_current_schema(db)
        password = _read_password()
        try:
            with db.writing() as session:
                user = create_user(
                    session,
                    username=args.username,
                    role=Role(args.role),
                    password=password,
                    name=args.name,
                    now=utc_now(),
                )
        except AccountError as error:
            raise CommandError(str(error)) from None
        print(f"created {user.role} {user.username!r} ({user.name})")
        return 0
    finally:
        db.dispose()


def cmd_create_integration_token(args: argparse.Namespace) -> int:
    from operator_app.server.accounts import AccountError, create_integration_token

    db = _open_database(args.database_url, creating=False)
    try:
        _require_current_schema(db)
        try:
            with db.writing() as session:
                issued = create_integration_token(session, label=args.label, now=utc_now())
        except AccountError as error:
            raise CommandError(str(error)) from None
        print(issued.secret)
        print(
            "Keep it secret: it is shown only this once. Send it as "
            "'Authorization: Bearer <token>' to POST /api/v1/telephony/incoming.",
            file=sys.stderr,
        )
        return 0
    finally:
        db.dispose()


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def cmd_analytics(args: argparse.Namespace) -> int:
    from operator_app.server.refit import RefitBusy
    from operator_app.server.refit_command import refit_command

    db = _open_database(args.database_url, creating=False)
    try:
        _require_current_schema(db)
        try:
            return refit_command(
                db, horizon_months=args.horizon_months, discount_rate=args.discount_rate
            )
        except RefitBusy as busy:
            raise CommandError(f"{busy}; try again when it has finished") from None
    finally:
        db.dispose()


def _require_demo(db: Database) -> None:
    from operator_app.server.schema import is_demo

    with db.reading() as session:
        if not is_demo(session):
            raise CommandError(
                "--simulate-traffic needs a demo database (made with init --demo); "
                "it never invents traffic in real data"
            )


def cmd_serve(args: argparse.Namespace) -> int:
    from operator_app.server.serving import serve
    from operator_app.server.settings import ServerSettings

    if (args.tls_cert is None) != (args.tls_key is None):
        raise argparse.ArgumentTypeError("--tls-cert and --tls-key go together")
    from operator_app.server.delivery_settings import DeliverySettings, DeliverySettingsError

    try:
        settings = ServerSettings(
            delivery=DeliverySettings.from_env(),
            refit_at=None if args.no_refit else args.refit_at,
            simulate_traffic=args.simulate_traffic,
        )
    except DeliverySettingsError as error:
        raise CommandError(str(error)) from None
    db = _open_database(args.database_url, creating=False)
    try:
        _require_current_schema(db)
        if args.simulate_traffic:
            _require_demo(db)
        if not _is_loopback(args.host) and args.tls_cert is None:
            print(
                f"note: serving plain HTTP on {args.host}; put TLS in front of it "
                "(a reverse proxy, or --tls-cert/--tls-key)",
                file=sys.stderr,
            )
        serve(
            db,
            host=args.host,
            port=args.port,
            log_level=args.log_level,
            tls_cert=args.tls_cert,
            tls_key=args.tls_key,
            settings=settings,
            workers=args.workers,
        )
        return 0
    finally:
        db.dispose()


COMMANDS = {
    "init": cmd_init,
    "create-user": cmd_create_user,
    "create-integration-token": cmd_create_integration_token,
    "serve": cmd_serve,
    "analytics": cmd_analytics,
}


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(sys.argv[1:] if argv is None else list(argv))
    if args.command == "init" and not args.demo:
        for flag in ("customers", "seed", "messages_per_customer"):
            if getattr(args, flag) is not None:
                parser.error(f"--{flag.replace('_', '-')} goes with --demo")
    try:
        return COMMANDS[args.command](args)
    except argparse.ArgumentTypeError as error:
        parser.error(str(error))
    except CommandError as error:
        print(f"{PROG}: error: {error}", file=sys.stderr)
        return 1
    except OperationalError as error:
        reason = str(error.orig).strip().splitlines()[0] if error.orig else "unknown reason"
        print(f"{PROG}: error: cannot use the database: {reason}", file=sys.stderr)
        return 1
    except SQLAlchemyError as error:
        print(f"{PROG}: error: database failure: {type(error).__name__}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
