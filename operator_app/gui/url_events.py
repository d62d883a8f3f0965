"""tel:, callto: and sip: links that the OS hands to the running app as an event.

Linux and Windows start ``operator-app <uri>`` (the .desktop file's ``%U``, the
installer's ``shell\\open\\command``), which the single-instance hand-over turns into a
pop. macOS instead sends the URL to the application object as a ``QFileOpenEvent``
(the bundle's ``CFBundleURLTypes``); ``OperatorApplication`` turns that into the
same pop through ``url_opened``.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, Signal
from PySide6.QtGui import QFileOpenEvent
from PySide6.QtWidgets import QApplication

CALL_SCHEMES = ("tel", "callto", "sip")


def call_link(event: QEvent) -> str | None:
    """The link of a file-open event for one of the call schemes, else None."""
    if event.type() != QEvent.Type.FileOpen or not isinstance(event, QFileOpenEvent):
        return None
    url = event.url()
    if url.scheme().lower() not in CALL_SCHEMES:
        return None
    return url.toString()


class OperatorApplication(QApplication):
    url_opened = Signal(str)

    def event(self, event: QEvent) -> bool:
        link = call_link(event)
        if link is not None:
            self.url_opened.emit(link)
            return True
        return super().event(event)
