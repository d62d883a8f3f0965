"""Regression guard: PySide6 must not leak or steal references to None / True.

PySide6 6.12.0 on CPython 3.11 dropped one reference to ``None`` on every call of a
method returning ``void`` and one reference to ``True`` on every ``Signal.emit``.
After enough calls the count reached zero and the interpreter aborted with
"Fatal Python error: none_dealloc" — minutes into a session, far from the cause.
From Python 3.12 on both objects are immortal, so the counts cannot move there;
the subprocess still has to survive the calls.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest
from PySide6 import __version__ as pyside_version

CALLS = 30_000
# A few references come and go with the loop's own bookkeeping; a broken binding
# moves the count by one per call, i.e. by tens of thousands.
TOLERANCE = 100

PROBE = textwrap.dedent(
    f"""
    import sys

    from PySide6.QtCore import QAbstractListModel, QModelIndex, QObject, Signal
    from PySide6.QtWidgets import QApplication, QLabel, QWidget

    class Emitter(QObject):
        plain = Signal()
        flag = Signal(bool)

    class EmptyModel(QAbstractListModel):
        def rowCount(self, parent=QModelIndex()):
            return 0

        def data(self, index, role=0):
            return None

    app = QApplication([])
    label, widget, emitter, model = QLabel(), QWidget(), Emitter(), EmptyModel()
    received = []
    emitter.flag.connect(received.append)

    def counts():
        return sys.getrefcount(None), sys.getrefcount(True)

    none_before, true_before = counts()
    for i in range({CALLS}):
        label.setText("caller")
        widget.setEnabled(True)
        emitter.plain.emit()
        emitter.flag.emit(True)
        model.beginResetModel()
        model.endResetModel()
    received.clear()
    none_after, true_after = counts()
    print(none_after - none_before, true_after - true_before)
    """
)


def test_void_calls_and_emits_keep_none_and_true_alive() -> None:
    result = subprocess.run(
        [sys.executable, "-c", PROBE], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, (
        f"the probe process died (exit {result.returncode}): {result.stderr[-2000:]}"
    )
    none_delta, true_delta = (int(x) for x in result.stdout.split())
    assert abs(none_delta) < TOLERANCE, f"refcount of None moved by {none_delta}"
    assert abs(true_delta) < TOLERANCE, f"refcount of True moved by {true_delta}"


@pytest.mark.skipif(sys.version_info >= (3, 12), reason="None/True are immortal from 3.12")
def test_installed_pyside_is_not_the_broken_release() -> None:
    major_minor = tuple(int(p) for p in pyside_version.split(".")[:2])
    assert major_minor != (6, 12), (
        f"PySide6 {pyside_version} aborts CPython {sys.version_info[0]}.{sys.version_info[1]} "
        "(none_dealloc); keep the pin in pyproject.toml"
    )
