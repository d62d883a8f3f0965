"""Start-up before the window: data folder, cache file, first-run demo seeding.

Everything that can go wrong here is the user's environment, not a bug, so every
failure ends in a plain-words message and a clean exit — never a traceback, never a
loop of crashes. The decisions live in :func:`prepare_cache`; how they reach the user
(dialogs, or stderr for the headless ``--screenshot`` run) is a :class:`StartupUI`.
"""

from __future__ import annotations

import enum
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from PySide6.QtCore import QEventLoop, QObject, Qt, Signal
from PySide6.QtWidgets import QAbstractButton, QMessageBox, QProgressDialog, QWidget
from sqlalchemy.engine import Engine

from operator_app.cache.db import (
    CacheCorruptError,
    CacheError,
    CacheNotWritableError,
    CacheTooNewError,
    ForeignCacheError,
    move_aside,
    open_cache,
)
from operator_app.gui.i18n import translate
from operator_app.services.datadir import DataDirError, cache_path, prepare_data_dir

# As services.demo_seed.DEMO_CUSTOMERS (a test keeps them equal); not imported from
# there because that module pulls in the demo generator and Faker, which an ordinary
# start does not need.
DEMO_CUSTOMERS = 20_000
DEMO_SEED = 42
DEMO_MESSAGES_PER_CUSTOMER = 10
APP_TITLE = "operator-app"


@dataclass(frozen=True, slots=True)
class Problem:
    """What went wrong, in words for the person at the desk."""

    title: str
    text: str
    can_rebuild: bool = False


def describe_data_dir_error(data_dir: Path, exc: DataDirError) -> Problem:
    text = translate(
        "Startup",
        "operator-app keeps its local cache in a data folder. {reason}\n\n"
        "Fix the folder's permissions or start operator-app with another folder: "
        "operator-app --data-dir PATH",
    )
    return Problem(translate("Startup", "Cannot use the data folder"), text.format(reason=exc))


def describe_cache_error(path: Path, exc: CacheError, *, demo: bool) -> Problem:
    """Map a cache failure to its message and whether rebuilding is offered."""
    refill = (
        translate("Startup", "The demo data will be generated again.")
        if demo
        else translate(
            "Startup", "Customer data will be downloaded again from the server once you connect."
        )
    )
    if isinstance(exc, CacheTooNewError):
        text = translate(
            "Startup",
            "The cache file\n{path}\nwas written by a newer version of operator-app, "
            "which this version cannot read.\n\nInstall the newer version to open it. "
            "The file has not been changed.",
        )
        return Problem(translate("Startup", "Cache from a newer version"), text.format(path=path))
    if isinstance(exc, CacheNotWritableError):
        text = translate(
            "Startup",
            "{reason}\n\nOr start operator-app with another folder: operator-app --data-dir PATH",
        )
        return Problem(translate("Startup", "Cannot write the cache"), text.format(reason=exc))
    if isinstance(exc, ForeignCacheError):
        text = translate(
            "Startup",
            "The file\n{path}\nis not an operator-app cache (another program may have "
            "written it).\n\nRebuild moves that file aside — nothing is deleted — and "
            "creates a new cache. {refill}",
        )
        return Problem(
            translate("Startup", "Not an operator-app cache"),
            text.format(path=path, refill=refill),
            can_rebuild=True,
        )
    if isinstance(exc, CacheCorruptError):
        text = translate(
            "Startup",
            "The cache file\n{path}\nis damaged or is not a database, so it cannot be "
            "read.\n\nRebuild moves the damaged file aside — nothing is deleted — and "
            "creates a new cache. {refill}",
        )
        return Problem(
            translate("Startup", "Cache file is damaged"),
            text.format(path=path, refill=refill),
            can_rebuild=True,
        )
    text = translate("Startup", "The cache file\n{path}\ncannot be opened: {reason}")
    return Problem(
        translate("Startup", "Cannot open the cache"), text.format(path=path, reason=exc)
    )


class SeedOutcome(enum.Enum):
    DONE = "done"
    CANCELLED = "cancelled"
    FAILED = "failed"


@dataclass(frozen=True, slots=True)
class SeedJob:
    path: Path
    customers: int = DEMO_CUSTOMERS
    seed: int = DEMO_SEED
    messages_per_customer: int = DEMO_MESSAGES_PER_CUSTOMER


@dataclass(frozen=True, slots=True)
class SeedResult:
    outcome: SeedOutcome
    error: str = ""


class StartupUI(Protocol):
    def show_error(self, problem: Problem) -> None: ...

    def confirm_rebuild(self, problem: Problem) -> bool: ...

    def seed(self, job: SeedJob) -> SeedResult: ...


# --- seeding off the GUI thread ----------------------------------------------------------


class _Cancelled(Exception):
    """Raised inside the seeder's progress callback to stop it."""


def seed_demo_cache(path: Path, customers: int, **options: Any) -> object:
    """``services.demo_seed.seed_demo_cache``, imported only when a demo is built."""
    from operator_app.services import demo_seed

    return demo_seed.seed_demo_cache(path, customers, **options)


class SeedWorker(QObject):
    """Builds the demo cache in a worker thread; the GUI only hears signals.

    ``seed_demo_cache`` writes a temporary file and renames it into place only when
    complete, so a cancel, a crash or a full disk never leaves half a cache behind.
    """

    progressed = Signal(str, int)  # stage, percent of that stage (-1: unknown)
    finished = Signal(object)  # SeedResult

    def __init__(self, job: SeedJob) -> None:
        super().__init__()
        self.job = job
        self._cancel = threading.Event()
        self._thread: threading.Thread | None = None
        self._last: tuple[str, int] | None = None
        self.result = SeedResult(SeedOutcome.CANCELLED)  # until the thread says otherwise

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="demo-seed", daemon=True)
        self._thread.start()

    def cancel(self) -> None:
        self._cancel.set()

    def join(self, timeout: float | None = None) -> None:
        if self._thread is not None:
            self._thread.join(timeout)

    def _progress(self, stage: str, done: int, total: int | None) -> None:
        if self._cancel.is_set():
            raise _Cancelled
        # -1: this stage cannot say how far along it is.
        percent = -1 if not total or total < 0 else max(0, min(100, done * 100 // total))
        # Signals cross threads through the event queue; send only visible changes.
        if (stage, percent) != self._last:
            self._last = (stage, percent)
            self.progressed.emit(stage, percent)

    def _run(self) -> None:
        job = self.job
        result = SeedResult(SeedOutcome.DONE)
        try:
            seed_demo_cache(
                job.path,
                job.customers,
                seed=job.seed,
                messages_per_customer=job.messages_per_customer,
                progress=self._progress,
            )
        except _Cancelled:
            result = SeedResult(SeedOutcome.CANCELLED)
        except Exception as exc:  # any failure becomes a message, not a dead thread
            if self._cancel.is_set():
                result = SeedResult(SeedOutcome.CANCELLED)
            else:
                result = SeedResult(SeedOutcome.FAILED, _plain(exc))
        finally:
            self.result = result
        self.finished.emit(result)


def _plain(exc: Exception) -> str:
    if isinstance(exc, OSError) and exc.strerror:
        where = f" ({exc.filename})" if exc.filename else ""
        text = translate("Startup", "The demo could not be written{where}: {reason}.")
        return text.format(where=where, reason=exc.strerror)
    if isinstance(exc, CacheError):
        return str(exc)  # already a sentence for the user
    text = translate("Startup", "The demo could not be built: {reason}.")
    return text.format(reason=exc or type(exc).__name__)


def run_seed_job(
    job: SeedJob,
    on_progress: Callable[[str, int], None] | None = None,
    on_started: Callable[[SeedWorker], None] | None = None,
) -> SeedResult:
    """Seed in a worker thread while this thread keeps serving Qt events."""
    worker = SeedWorker(job)
    loop = QEventLoop()
    outcome: list[SeedResult] = []

    def done(result: Any) -> None:
        outcome.append(result)
        loop.quit()

    if on_progress is not None:
        worker.progressed.connect(on_progress)
    worker.finished.connect(done)
    if on_started is not None:
        on_started(worker)
    worker.start()
    if not outcome:
        loop.exec()
    if not outcome:  # the application is quitting (e.g. SIGTERM): stop, keep nothing
        worker.cancel()
    worker.join()
    return worker.result


class SeedProgressDialog(QProgressDialog):
    """Visible progress for the first demo run: stage, percent, Cancel."""

    @staticmethod
    def stage_names() -> dict[str, str]:
        return {
            "customers": translate("Startup", "Generating customers and their history"),
            "indexes": translate("Startup", "Building indexes"),
            "checks": translate("Startup", "Checking references"),
            "search": translate("Startup", "Building the search index"),
            "statistics": translate("Startup", "Gathering statistics"),
        }

    def __init__(self, job: SeedJob, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.job = job
        self.worker: SeedWorker | None = None
        self.setWindowTitle(translate("Startup", "{app} — first demo run").format(app=APP_TITLE))
        self.setWindowModality(Qt.WindowModality.ApplicationModal)
        self.setLabelText(self._head() + translate("Startup", "Starting…"))
        self.setRange(0, 100)
        self.setMinimumDuration(0)
        self.setAutoClose(False)
        self.setAutoReset(False)
        self.setMinimumWidth(460)
        self.canceled.connect(self._cancel)

    def _head(self) -> str:
        customers = self.job.customers  # a plain name: lupdate skips dotted counts
        text = translate(
            "Startup", "Preparing the demo: %Ln customer(s), generated once.", None, customers
        )
        return text + "\n"

    def stage_text(self, stage: str) -> str:
        names = self.stage_names()
        if stage in names:
            return names[stage]
        if stage.startswith("load "):  # the bulk loader's "load <entity>"
            what = stage.removeprefix("load ").replace("_", " ")
            return translate("Startup", "Writing {what} rows").format(what=what)
        return stage.replace("_", " ").capitalize()

    def _show_progress(self, stage: str, percent: int) -> None:
        head = self._head()
        if percent < 0:
            self.setLabelText(f"{head}{self.stage_text(stage)}…")
            self.setRange(0, 0)  # a busy bar: this stage has no count
            return
        self.setLabelText(f"{head}{self.stage_text(stage)}…")  # the bar shows the percent
        self.setRange(0, 100)
        self.setValue(percent)

    def _attach(self, worker: SeedWorker) -> None:
        self.worker = worker

    def _cancel(self) -> None:
        self.setLabelText(translate("Startup", "Cancelling… nothing will be kept."))
        if self.worker is not None:
            self.worker.cancel()

    def run(self) -> SeedResult:
        self.show()
        try:
            return run_seed_job(self.job, self._show_progress, self._attach)
        finally:
            self.hide()


# --- how start-up talks to the user --------------------------------------------------------


class DialogUI:
    """Interactive start-up: message boxes and a progress dialog."""

    def __init__(self, parent: QWidget | None = None) -> None:
        self.parent = parent
        self.rebuild_button: QAbstractButton | None = None

    def show_error(self, problem: Problem) -> None:
        box = QMessageBox(
            QMessageBox.Icon.Critical,
            problem.title,
            problem.text,
            QMessageBox.StandardButton.Close,
            self.parent,
        )
        box.setWindowTitle(f"{APP_TITLE} — {problem.title}")
        box.exec()

    def rebuild_box(self, problem: Problem) -> QMessageBox:
        box = QMessageBox(
            QMessageBox.Icon.Warning,
            problem.title,
            problem.text,
            QMessageBox.StandardButton.NoButton,
            self.parent,
        )
        box.setWindowTitle(f"{APP_TITLE} — {problem.title}")
        self.rebuild_button = box.addButton(
            translate("Startup", "Rebuild"), QMessageBox.ButtonRole.AcceptRole
        )
        quit_button = box.addButton(translate("Startup", "Quit"), QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(quit_button)
        box.setEscapeButton(quit_button)
        return box

    def confirm_rebuild(self, problem: Problem) -> bool:
        box = self.rebuild_box(problem)
        box.exec()
        clicked = box.clickedButton()
        return clicked is not None and clicked is self.rebuild_button

    def seed(self, job: SeedJob) -> SeedResult:
        return SeedProgressDialog(job, self.parent).run()


class ConsoleUI:
    """Headless start-up (``--screenshot``): messages on stderr, never a question."""

    def __init__(self, stream: Any = None) -> None:
        self.stream = stream or sys.stderr

    def show_error(self, problem: Problem) -> None:
        print(f"operator-app: {problem.title}\n{problem.text}", file=self.stream)

    def confirm_rebuild(self, problem: Problem) -> bool:
        self.show_error(problem)
        print("Start operator-app without --screenshot to rebuild it.", file=self.stream)
        return False

    def seed(self, job: SeedJob) -> SeedResult:
        print(f"operator-app: preparing the demo ({job.customers:,} customers)…", file=self.stream)
        return run_seed_job(job)


# --- the decisions ---------------------------------------------------------------------------


def prepare_cache(
    data_dir: Path, *, demo: bool, ui: StartupUI, demo_job: SeedJob | None = None
) -> Engine | None:
    """Make the data folder usable and open its cache; ``None`` means quit (already told).

    With ``demo`` a missing cache is seeded first. A damaged or foreign cache is
    rebuilt only when the user agrees, and at most once per start.
    """
    try:
        prepare_data_dir(data_dir)
    except DataDirError as exc:
        ui.show_error(describe_data_dir_error(data_dir, exc))
        return None
    path = cache_path(data_dir)
    job = demo_job or SeedJob(path)
    if demo and not path.exists() and not _seed(job, ui):
        return None
    rebuilt = False
    while True:
        try:
            return open_cache(path)
        except CacheError as exc:
            problem = describe_cache_error(path, exc, demo=demo)
            failure = exc
            if not problem.can_rebuild:
                ui.show_error(problem)
                return None
            if rebuilt:  # the fresh cache failed too: stop instead of looping
                more = translate("Startup", "Rebuilding did not help.")
                ui.show_error(Problem(problem.title, f"{problem.text}\n\n{more}"))
                return None
            if not ui.confirm_rebuild(problem):
                return None
        rebuilt = True
        try:
            move_aside(path, "foreign" if isinstance(failure, ForeignCacheError) else "corrupt")
        except CacheError as move_error:
            title = translate("Startup", "Cannot move the cache aside")
            ui.show_error(Problem(title, str(move_error)))
            return None
        if demo and not _seed(job, ui):
            return None


def _seed(job: SeedJob, ui: StartupUI) -> bool:
    result = ui.seed(job)
    if result.outcome is SeedOutcome.FAILED:
        ui.show_error(Problem(translate("Startup", "Could not prepare the demo"), result.error))
    return result.outcome is SeedOutcome.DONE
