"""Closing a qasync event loop so that nothing of it is left for another thread to free."""

from __future__ import annotations

import qasync
import shiboken6
from PySide6.QtCore import QObject


def close_event_loop(loop: qasync.QEventLoop) -> None:
    """Close ``loop`` and delete its Qt timer object here, on the GUI thread.

    qasync runs ``call_later`` callbacks on Qt timers of one QObject. ``close()`` only
    flags that object: the timers of calls that were cancelled (every HTTP timeout that
    did not expire) stay registered until they would have fired. The loop sits in a
    reference cycle, so Python's garbage collector frees it later, in whichever thread
    happens to be allocating at that moment, often the cache's worker thread. Qt cannot
    stop timers from a thread other than their own and says so ("Timers cannot be
    stopped from another thread"). Deleting the object now, on its own thread, stops
    them properly.
    """
    if not loop.is_closed():
        loop.close()
    timers = getattr(loop, "_timer", None)  # qasync's private timer object
    if isinstance(timers, QObject) and shiboken6.isValid(timers):
        shiboken6.delete(timers)
