"""Command line entry point.

Qt is imported only by the commands that open a window, so headless commands
(``demo-data``, later ``sync`` and ``cache``) start fast and run without a display.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from operator_app import __version__

GUI_DEFAULT = "gui"


class UsageError(Exception):
    """A flag or argument the user gave is wrong; the message says how."""


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if value <= 0:
        raise argparse.ArgumentTypeError(f"expected a number above zero, got {value}")
    return value


def _non_negative_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"expected zero or more, got {value}")
    return value


def _customer_count(text: str) -> int:
    value = _positive_int(text)
    if value > 10_000_000:
        raise argparse.ArgumentTypeError("at most 10,000,000 customers")
    return value


def _png_path(text: str) -> Path:
    path = Path(text).expanduser()
    if path.suffix.lower() != ".png":
        raise argparse.ArgumentTypeError(f"the screenshot must be a .png file, got {text!r}")
    return path


def _gui_path_problem(args: argparse.Namespace) -> str | None:
    """Paths that cannot work, caught before a window opens."""
    data_dir: Path | None = getattr(args, "data_dir", None)
    if (
        data_dir is not None
        and data_dir.expanduser().exists()
        and not data_dir.expanduser().is_dir()
    ):
        return f"--data-dir {str(data_dir)!r} is a file, not a folder"
    shot: Path | None = getattr(args, "screenshot", None)
    if shot is not None:
        folder = shot.parent if str(shot.parent) else Path(".")
        if not folder.is_dir():
            return f"cannot save the screenshot: folder {str(folder)!r} does not exist"
        if shot.is_dir():
            return f"cannot save the screenshot: {str(shot)!r} is a folder"
        if not os.access(folder, os.W_OK) or (shot.exists() and not os.access(shot, os.W_OK)):
            return f"cannot save the screenshot: {str(shot)!r} is not writable"
    return None


def _add_gui_options(parser: argparse.ArgumentParser, *, nested: bool = False) -> None:
    # Nested copies must not reset what the top-level parser already read.
    default = argparse.SUPPRESS if nested else None
    parser.add_argument(
        "--data-dir",
        type=Path,
        default=default,
        help="folder for the local cache and logs (default: your user data folder)",
    )
    parser.add_argument(
        "--demo",
        action="store_true",
        default=default or False,
        help="open the embedded demo (seeded on first run)",
    )
    parser.add_argument(
        "--screenshot",
        type=_png_path,
        metavar="PATH",
        default=default,
        help="open the window, save it as a PNG image and exit",
    )
    parser.add_argument(
        "--theme",
        choices=["light", "dark", "system"],
        default=default,
        help="colour theme for this run",
    )
    parser.add_argument(
        "--lang", choices=["ru", "en", "system"], default=default, help="language for this run"
    )


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="operator-app",
        description="Contact-center workspace: the whole customer in one window.",
    )
    parser.add_argument("--version", action="version", version=f"operator-app {__version__}")
    _add_gui_options(parser)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    demo = sub.add_parser(
        "demo-data",
        help="build a deterministic demo cache",
        description="Build a deterministic demo cache file (customers, orders, contacts…).",
    )
    demo.add_argument("--customers", type=_customer_count, required=True, metavar="N")
    demo.add_argument("--out", type=Path, required=True, metavar="PATH", help="new cache file")
    demo.add_argument("--seed", type=_non_negative_int, default=42, metavar="S")
    demo.add_argument(
        "--messages-per-customer",
        type=_positive_int,
        default=10,
        metavar="M",
        help="average messages per customer (default 10)",
    )
    demo.add_argument("--force", action="store_true", help="replace PATH if it exists")

    pop = sub.add_parser(
        "pop",
        help="show the caller's card in the running window (tel:, callto:, sip: or a number)",
        description="Bring the running window forward with the caller's card; "
        "starts the app when none is running.",
    )
    pop.add_argument("uri", metavar="NUMBER_OR_URI")
    _add_gui_options(pop, nested=True)
    _add_sync_commands(sub)
    return parser


def _add_sync_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    data_dir_help = "folder of the local cache (default: your user data folder)"
    sync = sub.add_parser(
        "sync",
        help="pull and push changes with the server until both are idle",
        description="Pull the server's changes into the local cache and send local changes, "
        "until nothing is left. Signs in with the saved token, else $OPERATOR_APP_PASSWORD, "
        "else asks on the terminal. Exit status: 0 synced, 1 failed, 2 usage, 3 sign-in refused.",
    )
    sync.add_argument("--data-dir", type=Path, default=argparse.SUPPRESS, help=data_dir_help)
    sync.add_argument("--server", metavar="URL", help="server address (remembered once given)")
    sync.add_argument("--user", metavar="NAME", help="user name (remembered once given)")
    sync.add_argument("--ca-bundle", type=Path, metavar="PEM", help="company CA certificates")
    cache = sub.add_parser("cache", help="inspect the local cache")
    actions = cache.add_subparsers(dest="cache_command", metavar="ACTION", required=True)
    stats = actions.add_parser("stats", help="cursor, pending local changes, rows per entity")
    stats.add_argument("--json", action="store_true", help="one JSON document on stdout")
    stats.add_argument("--data-dir", type=Path, default=argparse.SUPPRESS, help=data_dir_help)


CALL_SCHEMES = ("tel:", "callto:", "sip:")


def _as_pop(argv: list[str]) -> list[str]:
    """``operator-app tel:+7…`` means ``operator-app pop tel:+7…``: the form desktops use
    when the app is the handler of tel:, callto: and sip: links."""
    if any(arg in ("pop", "demo-data", "sync", "cache") for arg in argv):
        return argv
    for index, arg in enumerate(argv):
        if arg.lower().startswith(CALL_SCHEMES):
            return [*argv[:index], "pop", *argv[index:]]
    return argv


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(_as_pop(list(sys.argv[1:] if argv is None else argv)))
    try:
        if args.command == "demo-data":
            from operator_app.services.demo_seed import run_demo_data_command

            return run_demo_data_command(args)
        if args.command == "sync":
            from operator_app.services.sync_command import run_sync_command

            return run_sync_command(args)
        if args.command == "cache":
            from operator_app.services.cache_stats import run_cache_stats_command

            return run_cache_stats_command(args)
        if args.command == "pop":
            from operator_app.domain.phones import normalize_phone

            if normalize_phone(args.uri) is None:
                parser.error(f"{args.uri!r} is not a phone number or a tel:/callto:/sip: link")
        problem = _gui_path_problem(args)
        if problem:
            parser.error(problem)
        from operator_app.gui.app import run_gui

        return run_gui(args)
    except UsageError as exc:
        parser.error(str(exc))
    except KeyboardInterrupt:
        return 130
