"""Command line entry point. Loads Qt only for commands that open a window."""

from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if args and args[0] in ("--version", "-V"):
        from operator_app import __version__

        print(f"operator-app {__version__}")
        return 0
    print("operator-app: not implemented yet", file=sys.stderr)
    return 2
