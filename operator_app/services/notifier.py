"""Desktop notifications, decided without Qt: on or off, paused, with or without sound.

Code that wants the operator's attention (an incoming call, a review case for a
supervisor) calls ``notifier.notify(title, text)``; whether anything is shown follows
the ``notifications.enabled`` setting and the tray's "Pause notifications". How it is
shown (a tray bubble, or the status bar where there is no tray) is the ``deliver``
callback the GUI plugs in, so this module is tested without a display.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field

RECENT = 20


@dataclass(frozen=True, slots=True)
class Notification:
    title: str
    text: str
    kind: str = "info"  # "call", "review", "info": lets the GUI pick an icon
    sound: bool = False
    # Called when the operator clicks the notification (after the window is raised).
    on_click: Callable[[], None] | None = field(default=None, compare=False)


Deliver = Callable[[Notification], None]


class Notifier:
    """Filters notifications by the user's choices and hands the rest to ``deliver``."""

    def __init__(self, deliver: Deliver | None = None) -> None:
        self.deliver = deliver
        self.enabled = True
        self.sound = False
        self.paused = False
        self.recent: deque[Notification] = deque(maxlen=RECENT)
        self.suppressed = 0  # how many were held back while off or paused

    def configure(self, *, enabled: bool, sound: bool) -> None:
        """The ``notifications.enabled`` and ``notifications.sound`` settings."""
        self.enabled = enabled
        self.sound = sound

    @property
    def active(self) -> bool:
        return self.enabled and not self.paused

    def notify(
        self,
        title: str,
        text: str,
        *,
        kind: str = "info",
        on_click: Callable[[], None] | None = None,
    ) -> Notification | None:
        """Show a notification unless they are off or paused; returns what was shown."""
        if not self.active:
            self.suppressed += 1
            return None
        note = Notification(title, text, kind, self.sound and self.enabled, on_click)
        self.recent.append(note)
        if self.deliver is not None:
            self.deliver(note)
        return note
