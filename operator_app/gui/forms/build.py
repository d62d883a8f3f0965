"""Compile every Qt Designer form in ``ui/`` into ``operator_app/gui/forms/ui_<name>.py``.

Run as ``python -m operator_app.gui.forms.build`` (``make forms``). The generated files
are committed; a test recompiles them and fails when they drift from their ``.ui``.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

FORMS_DIR = Path(__file__).resolve().parent
UI_DIR = FORMS_DIR.parents[2] / "ui"


class FormsError(RuntimeError):
    """A form could not be compiled; the message says which and why."""


def uic_command() -> list[str]:
    """The ``pyside6-uic`` of the running interpreter's environment."""
    scripts = Path(sys.executable).parent
    for name in ("pyside6-uic", "pyside6-uic.exe"):
        candidate = scripts / name
        if candidate.is_file():
            return [str(candidate)]
    found = shutil.which("pyside6-uic")
    if found:
        return [found]
    raise FormsError("pyside6-uic not found; install the project with `make install`")


def target_name(ui_file: Path) -> str:
    return f"ui_{ui_file.stem}.py"


def compile_form(ui_file: Path, out_dir: Path) -> Path:
    out = out_dir / target_name(ui_file)
    result = subprocess.run(
        [*uic_command(), str(ui_file), "-o", str(out)],
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise FormsError(f"{ui_file.name}: {result.stderr.strip() or 'uic failed'}")
    return out


def ui_files(ui_dir: Path = UI_DIR) -> list[Path]:
    return sorted(ui_dir.glob("*.ui"))


def build(out_dir: Path = FORMS_DIR, ui_dir: Path = UI_DIR) -> list[Path]:
    forms = ui_files(ui_dir)
    if not forms:
        raise FormsError(f"no .ui files in {ui_dir}")
    return [compile_form(form, out_dir) for form in forms]


def main() -> int:
    try:
        written = build()
    except FormsError as exc:
        print(f"forms: {exc}", file=sys.stderr)
        return 1
    for path in written:
        print(f"forms: wrote {path.relative_to(FORMS_DIR.parents[2])}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
