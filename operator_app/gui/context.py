"""What the window needs to know about this run, built once by ``gui.app``."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.engine import Engine


@dataclass(frozen=True)
class AppContext:
    data_dir: Path
    cache_path: Path
    engine: Engine
    demo: bool = False
    user_name: str = "Demo Operator"
    user_role: str = "operator"
    connection_label: str = "Offline (local cache)"
