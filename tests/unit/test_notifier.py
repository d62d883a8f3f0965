"""The notifier decides what reaches the operator: on/off, paused, sound."""

from __future__ import annotations

from operator_app.services.notifier import Notification, Notifier


def test_delivers_when_enabled() -> None:
    shown: list[Notification] = []
    notifier = Notifier(shown.append)
    note = notifier.notify("Incoming call", "+7 912 345-67-89", kind="call")
    assert note is not None and shown == [note]
    assert (note.title, note.text, note.kind, note.sound) == (
        "Incoming call",
        "+7 912 345-67-89",
        "call",
        False,
    )


def test_off_in_settings_or_paused_shows_nothing() -> None:
    shown: list[Notification] = []
    notifier = Notifier(shown.append)
    notifier.configure(enabled=False, sound=True)
    assert notifier.notify("a", "b") is None
    notifier.configure(enabled=True, sound=False)
    notifier.paused = True
    assert notifier.notify("c", "d") is None
    assert shown == [] and notifier.suppressed == 2
    notifier.paused = False
    assert notifier.notify("e", "f") is not None and len(shown) == 1


def test_sound_follows_the_setting() -> None:
    shown: list[Notification] = []
    notifier = Notifier(shown.append)
    notifier.configure(enabled=True, sound=True)
    notifier.notify("Review case", "Low score from Anna")
    assert shown[-1].sound


def test_without_a_display_it_still_remembers() -> None:
    notifier = Notifier()
    clicked: list[bool] = []
    note = notifier.notify("x", "y", on_click=lambda: clicked.append(True))
    assert note is not None and list(notifier.recent) == [note]
    assert note.on_click is not None
    note.on_click()
    assert clicked == [True]
