"""Settings dialog, admin pages and Account actions, against the real server on loopback.

The admin signs in through the window, opens Settings (Ctrl+,), clicks a page in the
list and types into it; the checks go to the server over its API.
"""

from __future__ import annotations

import secrets
from typing import Any

import httpx
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel, QMessageBox, QWidget

from operator_app.api import TokenStore
from operator_app.gui.main_window import MainWindow
from operator_app.gui.settings_admin.policy_pages import SlaPage, SurveyPolicyPage
from operator_app.gui.settings_admin.rules_page import RulesPage
from operator_app.gui.settings_admin.users_page import UsersPage
from operator_app.gui.settings_dialog import SettingsDialog
from tests.e2e.server_process import ServerProcess
from tests.gui.app_support import OFFSCREEN_NOISE
from tests.gui.sync_support import live_server, qloop, server_admin, sign_in, sync_window

__all__ = ["live_server", "qloop", "sync_window"]
pytestmark = OFFSCREEN_NOISE
ADMIN_PAGES = ("Users and roles", "Survey policy", "Channel SLAs", "Upsell rules")


def _open_settings(qtbot: Any, window: MainWindow) -> SettingsDialog:
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.keyClick(window, Qt.Key.Key_Comma, Qt.KeyboardModifier.ControlModifier)
    dialog = window.app_menus.dialog
    assert isinstance(dialog, SettingsDialog)
    qtbot.waitExposed(dialog)
    return dialog


def _page_titles(dialog: SettingsDialog) -> list[str]:
    pages = dialog.ui.pageList
    return [pages.item(i).text() for i in range(pages.count())]


def _go_to(qtbot: Any, dialog: SettingsDialog, title: str) -> QWidget:
    pages = dialog.ui.pageList
    item = pages.findItems(title, Qt.MatchFlag.MatchExactly)[0]
    pages.scrollToItem(item)
    qtbot.mouseClick(
        pages.viewport(), Qt.MouseButton.LeftButton, pos=pages.visualItemRect(item).center()
    )
    page = dialog.ui.pages.currentWidget()
    assert page is not None
    return page


def _retype(qtbot: Any, edit: QWidget, text: str) -> None:
    edit.setFocus()
    qtbot.keyClick(edit, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(edit, Qt.Key.Key_Delete)
    qtbot.keyClicks(edit, text)


def _login(server: ServerProcess, username: str, password: str) -> int:
    return httpx.post(
        f"{server.url}/api/v1/auth/login", json={"username": username, "password": password}
    ).status_code


def _close(qtbot: Any, dialog: SettingsDialog) -> None:
    dialog.reject()
    qtbot.waitUntil(lambda: not dialog.isVisible())


def test_admin_creates_a_user_who_can_sign_in_then_disables_them(
    qtbot: Any, sync_window: MainWindow, live_server: ServerProcess
) -> None:
    sign_in(qtbot, sync_window, live_server.url, user="admin")
    dialog = _open_settings(qtbot, sync_window)
    assert all(title in _page_titles(dialog) for title in ADMIN_PAGES)
    page = _go_to(qtbot, dialog, "Users and roles")
    assert isinstance(page, UsersPage)
    qtbot.waitUntil(lambda: page.table.rowCount() >= 3)

    username = f"anna{secrets.token_hex(3)}"
    # Bad input first: a short password is refused by the server, next to the field.
    qtbot.keyClicks(page.username_edit, username)
    qtbot.keyClicks(page.name_edit, "Anna Petrova")
    qtbot.keyClicks(page.password_edit, "short")
    qtbot.mouseClick(page.create_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(page.password_error.isVisible)
    assert "at least 8 characters" in page.password_error.text()
    assert page.username_edit.text() == username  # nothing typed is lost
    assert _login(live_server, username, "short") == 401

    _retype(qtbot, page.password_edit, "good-password-1")
    page.new_role_combo.setCurrentIndex(page.new_role_combo.findData("supervisor"))
    qtbot.mouseClick(page.create_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "created" in page.status.text())
    assert not page.password_error.isVisible()
    assert _login(live_server, username, "good-password-1") == 200

    # The new account is selected; disable it: the next sign-in fails.
    assert page.selected() is not None and page.selected().username == username  # type: ignore[union-attr]
    qtbot.mouseClick(page.disable_button, Qt.MouseButton.LeftButton)
    box = _message_box(qtbot, "disableUserConfirmation")
    assert username in box.text() and "signed out at once" in box.text()
    box.button(QMessageBox.StandardButton.Cancel).click()
    assert _login(live_server, username, "good-password-1") == 200
    qtbot.mouseClick(page.disable_button, Qt.MouseButton.LeftButton)
    box = _message_box(qtbot, "disableUserConfirmation")
    next(b for b in box.buttons() if b.text() == "Disable").click()
    qtbot.waitUntil(lambda: page.disable_button.text() == "Enable account")
    assert _login(live_server, username, "good-password-1") == 401
    row = next(r for r in range(page.table.rowCount()) if page.table.item(r, 0).text() == username)
    assert page.table.item(row, 3).text() == "Disabled"

    # Own account: the server refuses, the message sits next to the role.
    page.select_username("admin")
    qtbot.mouseClick(page.disable_button, Qt.MouseButton.LeftButton)
    box = _message_box(qtbot, "disableUserConfirmation")
    next(b for b in box.buttons() if b.text() == "Disable").click()
    qtbot.waitUntil(page.role_error.isVisible)
    assert "another admin" in page.role_error.text()
    _close(qtbot, dialog)


def test_an_invalid_sla_shows_the_servers_message_and_saves_nothing(
    qtbot: Any, sync_window: MainWindow, live_server: ServerProcess
) -> None:
    sign_in(qtbot, sync_window, live_server.url, user="admin")
    with server_admin(live_server) as api:
        before = api.get("/admin/policy").json()
    dialog = _open_settings(qtbot, sync_window)
    page = _go_to(qtbot, dialog, "Channel SLAs")
    assert isinstance(page, SlaPage)
    qtbot.waitUntil(lambda: page.save_button.isEnabled())
    phone = page.amounts["phone"]
    assert phone.text() == "30" and page.units["phone"].currentData() == "seconds"

    # Not a number: said here, nothing sent.
    _retype(qtbot, phone, "soon")
    qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    error: QLabel = page.field_errors["phone"]
    assert error.isVisible() and "whole number" in error.text()

    # A number the server refuses (zero): its message goes next to the phone field.
    _retype(qtbot, phone, "0")
    _retype(qtbot, page.amounts["email"], "2")
    page.units["email"].setCurrentIndex(page.units["email"].findData("hours"))
    qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: error.isVisible() and "greater than or equal to 1" in error.text())
    assert not page.field_errors["email"].isVisible()
    assert "Nothing was saved" in page.status.text()
    assert phone.text() == "0"  # the edit is kept for correcting
    with server_admin(live_server) as api:
        after = api.get("/admin/policy").json()
    assert after["version"] == before["version"]
    assert after["policy"]["first_response_sla_seconds"]["email"] == 4 * 3600

    # Corrected: both fields are stored in one save.
    _retype(qtbot, phone, "1")
    page.units["phone"].setCurrentIndex(page.units["phone"].findData("minutes"))
    qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "Saved on the server" in page.status.text())
    with server_admin(live_server) as api:
        slas = api.get("/admin/policy").json()["policy"]["first_response_sla_seconds"]
        assert (slas["phone"], slas["email"]) == (60, 7200)
        api.put("/admin/policy", json=before["policy"])  # leave the module's server as found
    _close(qtbot, dialog)


def test_admin_creates_previews_and_disables_an_upsell_rule(
    qtbot: Any, sync_window: MainWindow, live_server: ServerProcess
) -> None:
    sign_in(qtbot, sync_window, live_server.url, user="admin")
    dialog = _open_settings(qtbot, sync_window)
    page = _go_to(qtbot, dialog, "Upsell rules")
    assert isinstance(page, RulesPage)
    qtbot.waitUntil(lambda: page.loaded and page.product_combo.count() > 0)

    qtbot.mouseClick(page.preview_button, Qt.MouseButton.LeftButton)
    assert page.field_errors["name"].isVisible()  # no name: said before asking the server

    name = f"Gold plan upgrade {secrets.token_hex(2)}"
    qtbot.keyClicks(page.name_edit, name)
    page.product_combo.setCurrentIndex(0)
    qtbot.mouseClick(page.tier_checks["gold"], Qt.MouseButton.LeftButton)
    page.channels_picker.actions_by_channel["phone"].trigger()
    assert page.channels_picker.text() == "Phone"
    # Too long for the server: its message sits under the reason; what was typed stays.
    qtbot.keyClicks(page.reason_edit, "Gold customers: the newer plan. " * 16)
    qtbot.mouseClick(page.preview_button, Qt.MouseButton.LeftButton)
    reason_error: QLabel = page.field_errors["reason"]
    qtbot.waitUntil(reason_error.isVisible)
    assert "at most 500 characters" in reason_error.text()
    assert len(page.reason_edit.text()) == 32 * 16

    _retype(qtbot, page.reason_edit, "Gold customers: the newer plan")
    qtbot.mouseClick(page.preview_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "customers meet the conditions" in page.preview_label.text())
    with server_admin(live_server) as api:
        names = [r["name"] for r in api.get("/admin/upsell-rules").json()["items"]]
    assert name not in names  # a preview stores nothing

    qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.editing is not None and page.editing.name == name)
    with server_admin(live_server) as api:
        [stored] = [r for r in api.get("/admin/upsell-rules").json()["items"] if r["name"] == name]
    assert stored["enabled"] and stored["definition"]["tiers"] == ["gold"]
    assert stored["definition"]["channels"] == ["phone"]

    qtbot.mouseClick(page.disable_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.editing is not None and not page.editing.enabled)
    assert any("(disabled)" in page.list.item(i).text() for i in range(page.list.count()))
    with server_admin(live_server) as api:
        [stored] = [r for r in api.get("/admin/upsell-rules").json()["items"] if r["name"] == name]
    assert stored["enabled"] is False
    _close(qtbot, dialog)


def test_an_operator_sees_no_admin_pages(
    qtbot: Any, sync_window: MainWindow, live_server: ServerProcess
) -> None:
    sign_in(qtbot, sync_window, live_server.url, user="operator")
    dialog = _open_settings(qtbot, sync_window)
    titles = _page_titles(dialog)
    assert "Account" in titles
    assert not set(ADMIN_PAGES) & set(titles)
    _close(qtbot, dialog)


def _message_box(qtbot: Any, name: str) -> QMessageBox:
    found: list[QMessageBox] = []

    def shown() -> bool:
        boxes = [
            w for w in QApplication.topLevelWidgets() if w.objectName() == name and w.isVisible()
        ]
        found[:] = [b for b in boxes if isinstance(b, QMessageBox)]
        return bool(found)

    qtbot.waitUntil(shown)
    return found[0]


def test_sign_out_warns_about_unsent_changes_and_keeps_them(
    qtbot: Any, sync_window: MainWindow, live_server: ServerProcess
) -> None:
    window = sync_window
    sign_in(qtbot, window, live_server.url, user="operator")
    controller = window.sync.controller
    assert controller is not None
    tokens = TokenStore(controller.server_url, "operator")
    assert tokens.load() is not None
    # A change that cannot leave yet: the sync loop is paused.
    qtbot.waitUntil(lambda: window.sync.pending.pending == 0)
    from tests.gui.sync_support import run_async

    run_async(qtbot, controller.sync.stop())
    with window.ctx.engine.connect() as conn:
        customer = conn.exec_driver_sql("SELECT id FROM customers LIMIT 1").scalar_one()
    import uuid

    controller.add_note(uuid.UUID(bytes=customer), "Kept across sign-out")
    qtbot.waitUntil(lambda: _outbox(window) == 1)

    dialog = _open_settings(qtbot, window)
    _go_to(qtbot, dialog, "Account")
    qtbot.mouseClick(dialog.ui.signOutButton, Qt.MouseButton.LeftButton)
    box = _message_box(qtbot, "signOutConfirmation")
    assert "1 change" in box.text()
    box.button(QMessageBox.StandardButton.Cancel).click()
    assert window.sync.controller is controller  # still signed in

    qtbot.mouseClick(dialog.ui.signOutButton, Qt.MouseButton.LeftButton)
    box = _message_box(qtbot, "signOutConfirmation")
    next(b for b in box.buttons() if b.text() == "Sign out").click()
    qtbot.waitUntil(lambda: "signed out" in dialog.ui.accountStatusLabel.text())
    assert window.sync.controller is None
    assert window.user_label.text() == "Not signed in"
    assert "Not signed in" in window.connection_label.text()
    assert TokenStore(controller.server_url, "operator").load() is None
    assert _outbox(window) == 1  # the change waits for the next sign-in
    _close(qtbot, dialog)

    sign_in(qtbot, window, live_server.url, user="operator")
    qtbot.waitUntil(lambda: _outbox(window) == 0, timeout=20000)
    rows = live_server.query("SELECT count(*) FROM notes WHERE body = ?", "Kept across sign-out")
    assert rows[0][0] == 1


def _outbox(window: MainWindow) -> int:
    with window.ctx.engine.connect() as conn:
        return int(conn.exec_driver_sql("SELECT count(*) FROM outbox").scalar_one())


def _customers(window: MainWindow) -> int:
    with window.ctx.engine.connect() as conn:
        return int(conn.exec_driver_sql("SELECT count(*) FROM customers").scalar_one())


def test_wipe_says_what_would_be_lost_then_downloads_again(
    qtbot: Any, sync_window: MainWindow, live_server: ServerProcess
) -> None:
    window = sync_window
    sign_in(qtbot, window, live_server.url, user="operator")
    total = _customers(window)
    assert total > 0
    dialog = _open_settings(qtbot, window)
    _go_to(qtbot, dialog, "Account")
    qtbot.mouseClick(dialog.ui.wipeCacheButton, Qt.MouseButton.LeftButton)
    box = _message_box(qtbot, "wipeConfirmation")
    assert "Every change made here has reached the server" in box.text()
    box.button(QMessageBox.StandardButton.Cancel).click()
    assert _customers(window) == total

    qtbot.mouseClick(dialog.ui.wipeCacheButton, Qt.MouseButton.LeftButton)
    box = _message_box(qtbot, "wipeConfirmation")
    next(b for b in box.buttons() if b.text() == "Wipe").click()
    qtbot.waitUntil(lambda: "downloading everything again" in dialog.ui.accountStatusLabel.text())
    qtbot.waitUntil(lambda: _customers(window) == total, timeout=30000)
    _close(qtbot, dialog)


def test_offline_save_says_so_and_keeps_the_edits(
    qtbot: Any, sync_window: MainWindow, live_server: ServerProcess
) -> None:
    sign_in(qtbot, sync_window, live_server.url, user="admin")
    dialog = _open_settings(qtbot, sync_window)
    page = _go_to(qtbot, dialog, "Survey policy")
    assert isinstance(page, SurveyPolicyPage)
    qtbot.waitUntil(page.save_button.isEnabled)
    with server_admin(live_server) as api:
        before = api.get("/admin/policy").json()

    _retype(qtbot, page.min_days, "45")
    _retype(qtbot, page.limits["supervisor"], "250.50")
    live_server.stop()
    try:
        qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: "cannot be reached" in page.status.text(), timeout=20000)
        assert "edits are kept" in page.status.text()
        assert page.min_days.value() == 45 and page.limits["supervisor"].text() == "250.50"
    finally:
        live_server.start()

    qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "Saved on the server" in page.status.text(), timeout=20000)
    with server_admin(live_server) as api:
        policy = api.get("/admin/policy").json()["policy"]
        assert policy["min_days_between_surveys"] == 45
        assert policy["compensation_limits"]["supervisor"] == "250.50"
        api.put("/admin/policy", json=before["policy"])
    _close(qtbot, dialog)


def test_a_bad_compensation_amount_is_refused_before_sending(
    qtbot: Any, sync_window: MainWindow, live_server: ServerProcess
) -> None:
    sign_in(qtbot, sync_window, live_server.url, user="admin")
    dialog = _open_settings(qtbot, sync_window)
    page = _go_to(qtbot, dialog, "Survey policy")
    assert isinstance(page, SurveyPolicyPage)
    qtbot.waitUntil(page.save_button.isEnabled)
    _retype(qtbot, page.limits["admin"], "lots")
    qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    error = page.field_errors["compensation_limits"]
    assert error.isVisible() and "amount" in error.text()
    # Negative: a number, so the server decides; its words appear at the same place.
    _retype(qtbot, page.limits["admin"], "-5")
    qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "greater than or equal to 0" in error.text())
    _close(qtbot, dialog)


def test_role_change_and_a_generated_password_shown_once(
    qtbot: Any, sync_window: MainWindow, live_server: ServerProcess
) -> None:
    username = f"ivan{secrets.token_hex(3)}"
    with server_admin(live_server) as api:
        created = api.post(
            "/admin/users",
            json={"username": username, "role": "operator", "password": "first-password"},
        )
        assert created.status_code == 201
    sign_in(qtbot, sync_window, live_server.url, user="admin")
    dialog = _open_settings(qtbot, sync_window)
    page = _go_to(qtbot, dialog, "Users and roles")
    assert isinstance(page, UsersPage)
    qtbot.waitUntil(lambda: any(u.username == username for u in page.users))
    page.select_username(username)

    page.role_combo.setCurrentIndex(page.role_combo.findData("supervisor"))
    qtbot.mouseClick(page.role_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.selected() is not None and page.selected().role == "supervisor")  # type: ignore[union-attr]

    qtbot.mouseClick(page.reset_button, Qt.MouseButton.LeftButton)  # empty: generate one
    qtbot.waitUntil(page.secret_label.isVisible)
    secret = page.secret_label.text().split(": ", 1)[1].split(" — ", 1)[0]
    assert _login(live_server, username, "first-password") == 401
    assert _login(live_server, username, secret) == 200
    assert "not shown again" in page.secret_label.text()
    _close(qtbot, dialog)


def test_forget_saved_sign_in_keeps_the_session_for_now(
    qtbot: Any, sync_window: MainWindow, live_server: ServerProcess
) -> None:
    window = sync_window
    sign_in(qtbot, window, live_server.url, user="operator")
    controller = window.sync.controller
    assert controller is not None
    assert TokenStore(controller.server_url, "operator").load() is not None
    dialog = _open_settings(qtbot, window)
    _go_to(qtbot, dialog, "Account")
    qtbot.mouseClick(dialog.ui.forgetTokenButton, Qt.MouseButton.LeftButton)
    assert "removed from this computer" in dialog.ui.accountStatusLabel.text()
    assert TokenStore(controller.server_url, "operator").load() is None
    assert window.sync.controller is controller and controller.api.signed_in
    _close(qtbot, dialog)


def test_another_admins_save_in_between_is_not_overwritten(
    qtbot: Any, sync_window: MainWindow, live_server: ServerProcess
) -> None:
    sign_in(qtbot, sync_window, live_server.url, user="admin")
    dialog = _open_settings(qtbot, sync_window)
    page = _go_to(qtbot, dialog, "Channel SLAs")
    assert isinstance(page, SlaPage)
    qtbot.waitUntil(page.save_button.isEnabled)
    with server_admin(live_server) as api:
        before = api.get("/admin/policy").json()
        elsewhere = {**before["policy"], "fcr_window_days": 9}
        assert api.put("/admin/policy", json=elsewhere).status_code == 200
    try:
        _retype(qtbot, page.amounts["sms"], "45")
        qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: "reload" in page.status.text().casefold())
        with server_admin(live_server) as api:
            policy = api.get("/admin/policy").json()["policy"]
        assert policy["fcr_window_days"] == 9  # the other admin's save stands
        assert policy["first_response_sla_seconds"]["sms"] == 30 * 60

        qtbot.mouseClick(page.reload_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: page.amounts["sms"].text() == "30" and not page.status.text())
        _retype(qtbot, page.amounts["sms"], "45")
        qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: "Saved on the server" in page.status.text())
        with server_admin(live_server) as api:
            policy = api.get("/admin/policy").json()["policy"]
        assert policy["fcr_window_days"] == 9
        assert policy["first_response_sla_seconds"]["sms"] == 45 * 60
    finally:
        with server_admin(live_server) as api:
            api.put("/admin/policy", json=before["policy"])
    _close(qtbot, dialog)


def test_every_admin_control_has_an_accessible_name(qtbot: Any, tmp_path: Any) -> None:
    from PySide6.QtWidgets import QAbstractButton, QAbstractSpinBox, QComboBox, QLineEdit

    from operator_app.api import ApiClient
    from operator_app.gui.settings_registry import open_settings

    # Pages only talk to the server once shown; none is shown here.
    dialog = SettingsDialog(
        open_settings(tmp_path / "settings.ini"), admin_api=ApiClient("http://127.0.0.1:9")
    )
    qtbot.addWidget(dialog)
    kinds = (QAbstractButton, QAbstractSpinBox, QComboBox, QLineEdit)
    controls = [
        w for page in dialog.admin_pages for w in page.findChildren(QWidget) if isinstance(w, kinds)
    ]
    assert len(controls) > 40
    missing = [
        f"{type(w).__name__} {w.objectName()!r} on {type(page).__name__}"
        for page in dialog.admin_pages
        for w in page.findChildren(QWidget)
        if isinstance(w, kinds)
        and not w.accessibleName()
        and not w.objectName().startswith("qt_")
        and w.parent() is not None
        and not isinstance(w.parent(), QAbstractSpinBox | QComboBox)  # their inner editors
    ]
    assert missing == []


def test_a_survey_rule_the_server_refuses_is_named_under_the_rules(
    qtbot: Any, sync_window: MainWindow, live_server: ServerProcess
) -> None:
    sign_in(qtbot, sync_window, live_server.url, user="admin")
    with server_admin(live_server) as api:
        before = api.get("/admin/policy").json()
    dialog = _open_settings(qtbot, sync_window)
    page = _go_to(qtbot, dialog, "Survey policy")
    assert isinstance(page, SurveyPolicyPage)
    qtbot.waitUntil(page.save_button.isEnabled)
    rules_before = page.rules.rowCount()
    qtbot.mouseClick(page.findChild(QWidget, "addSurveyRuleButton"), Qt.MouseButton.LeftButton)
    assert page.rules.rowCount() == rules_before + 1
    topics = page.rules.cellWidget(rules_before, 2)
    qtbot.keyClicks(topics, "billing, " + "x" * 101)
    qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    error = page.field_errors["rules"]
    qtbot.waitUntil(error.isVisible)
    assert f"Rule {rules_before + 1}, topics" in error.text()
    with server_admin(live_server) as api:
        assert api.get("/admin/policy").json()["version"] == before["version"]
    _close(qtbot, dialog)
