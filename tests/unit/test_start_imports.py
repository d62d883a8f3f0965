"""The path to the first paint loads only what the window needs to appear.

Networking (httpx, the API client, the keyring, sync), SQLAlchemy's ORM with the cache
models, the charts and the dialogs load after the window is on screen — the ORM in the
DB thread. A module-level import that drags one of them back in fails here, long before
anyone notices a slower start in ``make bench``.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from operator_app.cache import schema
from operator_app.cache.db import open_cache
from operator_app.cache.models import Base
from operator_app.services.datadir import cache_path

DEFERRED = (
    "httpx",
    "keyring",
    "sqlalchemy.orm",
    "operator_app.api",
    "operator_app.sync",
    "operator_app.cache.models",
    "operator_app.cache.repositories",
    "operator_app.gui.demo_server",
    "operator_app.gui.sync_controller",
    "operator_app.gui.sign_in_dialog",
    "operator_app.gui.settings_dialog",
    "operator_app.gui.supervisor.view",
    "operator_app.gui.supervisor.dashboards",
    "PySide6.QtCharts",
    "faker",
    "operator_app.demo",
)


def _loaded_after(tmp_path: Path, body: str) -> list[str]:
    probe = (
        "import json, sys\n"
        f"{body}\n"
        f"print(json.dumps(sorted(m for m in {DEFERRED!r} if m in sys.modules)))\n"
    )
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "HOME": str(tmp_path)}
    env["XDG_CONFIG_HOME"] = str(tmp_path / "config")
    env["XDG_DATA_HOME"] = str(tmp_path / "data")
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, env=env, timeout=120
    )
    assert result.returncode == 0, result.stdout + result.stderr
    loaded: list[str] = json.loads(result.stdout.strip().splitlines()[-1])
    return loaded


def test_importing_the_app_shell_loads_nothing_deferred(tmp_path: Path) -> None:
    assert _loaded_after(tmp_path, "import operator_app.gui.app") == []


def test_the_start_loads_sqlalchemy_and_phonenumbers_before_qt(tmp_path: Path) -> None:
    """PySide6 reads the source of every module imported after it; the big non-Qt
    libraries of the start path come first (``operator_app.gui`` sees to it)."""
    probe = "import json, sys\nimport operator_app.gui.app\nprint(json.dumps(list(sys.modules)))\n"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, env=env, timeout=120
    )
    assert result.returncode == 0, result.stderr
    order: list[str] = json.loads(result.stdout.strip().splitlines()[-1])
    qt = order.index("PySide6")
    late = [m for m in order[qt:] if m.split(".")[0] in ("sqlalchemy", "phonenumbers", "asyncio")]
    assert late == []


def test_building_and_showing_the_window_loads_nothing_deferred(tmp_path: Path) -> None:
    # The whole start on the GUI thread: an existing cache opened, the window built and
    # shown. The DB thread has run no job yet (reads are held until the first paint),
    # so whatever is loaded here was loaded by the GUI thread.
    folder = tmp_path / "data-dir"
    open_cache(cache_path(folder)).dispose()  # a new file is made from the models
    body = (
        "from pathlib import Path\n"
        "from PySide6.QtWidgets import QApplication\n"
        "from operator_app.gui.app import MainWindow\n"
        "from operator_app.gui.context import AppContext\n"
        "from operator_app.gui.startup import ConsoleUI, prepare_cache\n"
        "from operator_app.services.datadir import cache_path\n"
        "app = QApplication([])\n"
        f"folder = Path({str(folder)!r})\n"
        "engine = prepare_cache(folder, demo=False, ui=ConsoleUI())\n"
        "assert engine is not None\n"
        "ctx = AppContext(data_dir=folder, cache_path=cache_path(folder), engine=engine)\n"
        "window = MainWindow(ctx)\n"
        "window.show()\n"
        "window.close()\n"
    )
    assert _loaded_after(tmp_path, body) == []


def test_the_index_list_matches_the_models() -> None:
    """Opening a cache checks its indexes against ``schema.INDEX_NAMES`` (no ORM)."""
    declared = {str(i.name) for t in Base.metadata.sorted_tables for i in t.indexes}
    assert declared == schema.INDEX_NAMES
