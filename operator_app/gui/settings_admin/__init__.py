"""The admin pages of the settings dialog: users and roles, survey policy, channel SLAs,
upsell rules. Added only for a signed-in admin (the server refuses everyone else anyway).
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QLabel, QListWidget, QListWidgetItem, QStackedWidget, QWidget

from operator_app.api import ApiClient
from operator_app.api.admin import AdminApi
from operator_app.gui.i18n import translate
from operator_app.gui.settings_admin.base import AdminPage
from operator_app.gui.settings_admin.policy_pages import PolicyHolder, SlaPage, SurveyPolicyPage
from operator_app.gui.settings_admin.rules_page import ProductLoader, RulesPage
from operator_app.gui.settings_admin.users_page import UsersPage

__all__ = ["AdminPage", "install_admin_pages"]


def install_admin_pages(
    dialog: QDialog,
    page_list: QListWidget,
    pages: QStackedWidget,
    api: ApiClient,
    *,
    load_products: ProductLoader | None = None,
) -> list[AdminPage]:
    """Append the admin pages; each loads from the server the first time it is shown."""
    admin = AdminApi(api)
    holder = PolicyHolder(admin)
    added: list[AdminPage] = [
        UsersPage(admin, pages),
        SurveyPolicyPage(admin, holder, pages),
        SlaPage(admin, holder, pages),
        RulesPage(admin, load_products, pages),
    ]
    titles = [
        translate("SettingsDialog", "Users and roles"),
        translate("SettingsDialog", "Survey policy"),
        translate("SettingsDialog", "Channel SLAs"),
        translate("SettingsDialog", "Upsell rules"),
    ]
    # A heading row (not selectable) with an empty page, so rows and pages stay aligned.
    heading = QListWidgetItem(translate("SettingsDialog", "Team (admins only)"))
    heading.setFlags(Qt.ItemFlag.NoItemFlags)
    font = heading.font()
    font.setBold(True)
    heading.setFont(font)
    page_list.addItem(heading)
    pages.addWidget(QWidget(pages))
    for page, title in zip(added, titles, strict=True):
        page_list.addItem(title)
        pages.addWidget(page)

    notice = dialog.findChild(QLabel, "noticeLabel")
    kept = notice.text() if isinstance(notice, QLabel) else ""

    def on_page(index: int) -> None:
        page = pages.widget(index)
        if isinstance(page, AdminPage):
            page.ensure_loaded()
        if isinstance(notice, QLabel):
            # The dialog's Save keeps this computer's settings only; say so where it matters.
            notice.setText(
                translate(
                    "SettingsDialog",
                    "Team settings are stored on the server with the button on their page; "
                    "Save below keeps this computer's settings.",
                )
                if isinstance(page, AdminPage)
                else kept
            )

    page_list.currentRowChanged.connect(on_page)
    dialog.resize(max(dialog.width(), 960), max(dialog.height(), 680))
    return added
