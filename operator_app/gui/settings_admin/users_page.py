"""Users and roles: who may sign in, with which role; new accounts and password resets."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from operator_app.api import ApiError
from operator_app.api.admin import AdminApi, AdminUser
from operator_app.gui.i18n import translate
from operator_app.gui.settings_admin.base import AdminPage, error_label


def role_names() -> list[tuple[str, str]]:
    return [
        ("operator", translate("UsersPage", "Operator")),
        ("supervisor", translate("UsersPage", "Supervisor")),
        ("admin", translate("UsersPage", "Admin")),
    ]


class UsersPage(AdminPage):
    def __init__(self, admin: AdminApi, parent: QWidget | None = None) -> None:
        super().__init__(admin, parent)
        self.setObjectName("usersPage")
        self.users: list[AdminUser] = []
        self.table = QTableWidget(0, 4, self)
        self.table.setObjectName("usersTable")
        self.table.setAccessibleName(translate("UsersPage", "Accounts"))
        self.table.setHorizontalHeaderLabels(
            [
                translate("UsersPage", "User name"),
                translate("UsersPage", "Full name"),
                translate("UsersPage", "Role"),
                translate("UsersPage", "Status"),
            ]
        )
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.table.itemSelectionChanged.connect(self._on_selected)
        self.layout_.addWidget(self.status)
        self.layout_.addWidget(self.table, 1)
        boxes = QHBoxLayout()
        boxes.addWidget(self._selected_box(), 1)
        boxes.addWidget(self._new_box(), 1)
        self.layout_.addLayout(boxes)
        self.field_errors = {
            "username": self.username_error,
            "name": self.name_error,
            "password": self.password_error,
            "role": self.role_error,
            "disabled": self.role_error,
            "new_password": self.reset_error,
        }
        self._on_selected()

    def page_title(self) -> str:
        return translate("UsersPage", "Users and roles")

    def page_intro(self) -> str:
        return translate(
            "UsersPage",
            "Who may sign in and what they may do. Operators answer customers; supervisors "
            "also review low scores; admins also manage these settings. A disabled account "
            "is signed out at once.",
        )

    # -- building ------------------------------------------------------------------------

    def _selected_box(self) -> QGroupBox:
        box = QGroupBox(translate("UsersPage", "Selected account"), self)
        form = QFormLayout(box)
        self.selected_label = QLabel(box)
        self.selected_label.setObjectName("selectedUserLabel")
        self.selected_label.setAccessibleName(translate("UsersPage", "Selected account"))
        form.addRow(translate("UsersPage", "Account"), self.selected_label)
        self.role_combo = QComboBox(box)
        self.role_combo.setObjectName("selectedRoleCombo")
        self.role_combo.setAccessibleName(translate("UsersPage", "Role of the selected account"))
        for value, text in role_names():
            self.role_combo.addItem(text, value)
        self.role_button = QPushButton(translate("UsersPage", "Change role"), box)
        self.role_button.setObjectName("changeRoleButton")
        self.role_button.setAccessibleName(translate("UsersPage", "Change role"))
        self.role_button.clicked.connect(self.change_role)
        row = QHBoxLayout()
        row.addWidget(self.role_combo, 1)
        row.addWidget(self.role_button)
        form.addRow(translate("UsersPage", "Role"), row)
        self.role_error = error_label(
            box, "roleError", translate("UsersPage", "Problem with the role")
        )
        form.addRow("", self.role_error)
        self.disable_button = QPushButton(translate("UsersPage", "Disable account"), box)
        self.disable_button.setObjectName("disableUserButton")
        self.disable_button.setAccessibleName(translate("UsersPage", "Disable or enable account"))
        self.disable_button.clicked.connect(self.toggle_disabled)
        form.addRow("", self.disable_button)
        self.reset_edit = QLineEdit(box)
        self.reset_edit.setObjectName("resetPasswordEdit")
        self.reset_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.reset_edit.setPlaceholderText(translate("UsersPage", "Empty: generate"))
        self.reset_edit.setAccessibleName(translate("UsersPage", "New password"))
        self.reset_button = QPushButton(translate("UsersPage", "Set password"), box)
        self.reset_button.setObjectName("resetPasswordButton")
        self.reset_button.setAccessibleName(translate("UsersPage", "Set a new password"))
        self.reset_button.clicked.connect(self.reset_password)
        row = QHBoxLayout()
        row.addWidget(self.reset_edit, 1)
        row.addWidget(self.reset_button)
        form.addRow(translate("UsersPage", "New password"), row)
        self.reset_error = error_label(
            box, "resetPasswordError", translate("UsersPage", "Problem with the new password")
        )
        form.addRow("", self.reset_error)
        return box

    def _new_box(self) -> QGroupBox:
        box = QGroupBox(translate("UsersPage", "New account"), self)
        form = QFormLayout(box)
        self.username_edit = QLineEdit(box)
        self.username_edit.setObjectName("newUsernameEdit")
        self.username_edit.setAccessibleName(translate("UsersPage", "User name of the new account"))
        self.username_edit.setPlaceholderText(translate("UsersPage", "e.g. anna.petrova"))
        self.username_error = error_label(
            box, "newUsernameError", translate("UsersPage", "Problem with the user name")
        )
        self.name_edit = QLineEdit(box)
        self.name_edit.setObjectName("newNameEdit")
        self.name_edit.setAccessibleName(translate("UsersPage", "Full name of the new account"))
        self.name_error = error_label(
            box, "newNameError", translate("UsersPage", "Problem with the full name")
        )
        self.new_role_combo = QComboBox(box)
        self.new_role_combo.setObjectName("newRoleCombo")
        self.new_role_combo.setAccessibleName(translate("UsersPage", "Role of the new account"))
        for value, text in role_names():
            self.new_role_combo.addItem(text, value)
        self.password_edit = QLineEdit(box)
        self.password_edit.setObjectName("newPasswordEdit")
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.password_edit.setAccessibleName(translate("UsersPage", "Password of the new account"))
        self.password_edit.setPlaceholderText(translate("UsersPage", "At least 8 characters"))
        self.generate_check = QCheckBox(translate("UsersPage", "Make a password for me"), box)
        self.generate_check.setObjectName("generatePasswordCheck")
        self.generate_check.setAccessibleName(translate("UsersPage", "Make a password for me"))
        self.generate_check.toggled.connect(lambda on: self.password_edit.setDisabled(on))
        self.password_error = error_label(
            box, "newPasswordError", translate("UsersPage", "Problem with the password")
        )
        self.create_button = QPushButton(translate("UsersPage", "Create account"), box)
        self.create_button.setObjectName("createUserButton")
        self.create_button.setAccessibleName(translate("UsersPage", "Create account"))
        self.create_button.setProperty("cssClass", "primary")
        self.create_button.clicked.connect(self.create_user)
        form.addRow(translate("UsersPage", "User name"), self.username_edit)
        form.addRow("", self.username_error)
        form.addRow(translate("UsersPage", "Full name"), self.name_edit)
        form.addRow("", self.name_error)
        form.addRow(translate("UsersPage", "Role"), self.new_role_combo)
        form.addRow(translate("UsersPage", "Password"), self.password_edit)
        form.addRow("", self.generate_check)
        form.addRow("", self.password_error)
        form.addRow("", self.create_button)
        self.secret_label = QLabel(box)
        self.secret_label.setObjectName("generatedPasswordLabel")
        self.secret_label.setAccessibleName(translate("UsersPage", "Password to hand over"))
        self.secret_label.setWordWrap(True)
        self.secret_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.secret_label.setVisible(False)
        self.layout_.addWidget(self.secret_label)
        return box

    # -- loading and showing -------------------------------------------------------------

    async def load(self) -> None:
        self.show_users(await self.admin.users())

    def show_users(self, users: list[AdminUser], select: AdminUser | None = None) -> None:
        current = select or self.selected()
        self.users = users
        self.table.setRowCount(len(users))
        roles = dict(role_names())
        for row, user in enumerate(users):
            status = (
                translate("UsersPage", "Disabled")
                if user.disabled
                else translate("UsersPage", "Active")
            )
            for column, text in enumerate(
                (user.username, user.name, roles.get(user.role, user.role), status)
            ):
                item = QTableWidgetItem(text)
                if user.disabled:
                    item.setForeground(self.palette().placeholderText())
                self.table.setItem(row, column, item)
            if current is not None and user.id == current.id:
                self.table.selectRow(row)
        self._on_selected()

    def selected(self) -> AdminUser | None:
        rows = self.table.selectionModel().selectedRows() if self.table.selectionModel() else []
        if not rows or rows[0].row() >= len(self.users):
            return None
        return self.users[rows[0].row()]

    def select_username(self, username: str) -> None:
        for row, user in enumerate(self.users):
            if user.username == username:
                self.table.selectRow(row)

    def _on_selected(self) -> None:
        user = self.selected()
        for widget in (self.role_combo, self.role_button, self.disable_button):
            widget.setEnabled(user is not None)
        self.reset_edit.setEnabled(user is not None)
        self.reset_button.setEnabled(user is not None)
        self.clear_field_errors()
        if user is None:
            self.selected_label.setText(translate("UsersPage", "Choose an account in the list"))
            return
        self.selected_label.setText(f"{user.name} ({user.username})")
        self.role_combo.setCurrentIndex(max(0, self.role_combo.findData(user.role)))
        self.disable_button.setText(
            translate("UsersPage", "Enable account")
            if user.disabled
            else translate("UsersPage", "Disable account")
        )

    def set_busy(self, busy: bool) -> None:
        self.create_button.setDisabled(busy)
        self.role_button.setDisabled(busy or self.selected() is None)
        self.disable_button.setDisabled(busy or self.selected() is None)
        self.reset_button.setDisabled(busy or self.selected() is None)

    def _replace(self, changed: AdminUser) -> None:
        users = [changed if u.id == changed.id else u for u in self.users]
        self.show_users(users, select=changed)

    # -- actions ---------------------------------------------------------------------------

    def create_user(self) -> None:
        username = self.username_edit.text().strip()
        if not username:
            self.show_field_errors([("username", translate("UsersPage", "Enter a user name."))])
            return
        generate = self.generate_check.isChecked()
        password = None if generate else self.password_edit.text()

        async def work() -> None:
            created = await self.admin.create_user(
                username=username,
                name=self.name_edit.text().strip(),
                role=str(self.new_role_combo.currentData()),
                password=password,
            )
            self.clear_field_errors()
            for edit in (self.username_edit, self.name_edit, self.password_edit):
                edit.clear()
            self.show_users([*self.users, created.user], select=created.user)
            self.say(
                translate("UsersPage", "Account {name} created.").format(
                    name=created.user.username
                ),
                "ok",
            )
            self._show_secret(created.user.username, created.generated_password)

        self.secret_label.setVisible(False)
        self.say(translate("UsersPage", "Creating the account…"), "busy")
        self.run(work, on_error=self.save_failed)

    def _show_secret(self, username: str, secret: str | None) -> None:
        if secret is None:
            self.secret_label.setVisible(False)
            return
        self.secret_label.setText(
            translate(
                "UsersPage",
                "Password for {name}: {secret} — give it to them now; it is not shown again.",
            ).format(name=username, secret=secret)
        )
        self.secret_label.setVisible(True)

    def change_role(self) -> None:
        user = self.selected()
        role = str(self.role_combo.currentData())
        if user is None or role == user.role:
            return
        self._edit(user, role=role)

    def toggle_disabled(self) -> QMessageBox | None:
        """Enable at once; disabling asks first (it signs the person out everywhere)."""
        user = self.selected()
        if user is None:
            return None
        if user.disabled:
            self._edit(user, disabled=False)
            return None
        box = QMessageBox(
            QMessageBox.Icon.Question,
            translate("UsersPage", "Disable account"),
            translate(
                "UsersPage",
                "Disable {name}? They are signed out at once and cannot sign in until an "
                "admin enables the account again. Their work stays.",
            ).format(name=f"{user.name} ({user.username})"),
            QMessageBox.StandardButton.Cancel,
            self,
        )
        box.setObjectName("disableUserConfirmation")
        disable = box.addButton(
            translate("UsersPage", "Disable"), QMessageBox.ButtonRole.DestructiveRole
        )
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        box.buttonClicked.connect(
            lambda button: self._edit(user, disabled=True) if button is disable else None
        )
        box.open()  # window-modal, no nested event loop
        return box

    def _edit(
        self, user: AdminUser, *, role: str | None = None, disabled: bool | None = None
    ) -> None:
        async def work() -> None:
            changed = await self.admin.edit_user(user, role=role, disabled=disabled)
            self._replace(changed)
            self.say(translate("UsersPage", "Saved: {name}.").format(name=changed.username), "ok")

        self.say(translate("UsersPage", "Saving…"), "busy")
        self.run(work, on_error=self.save_failed)

    def reset_password(self) -> None:
        user = self.selected()
        if user is None:
            return
        typed = self.reset_edit.text()
        password = typed or None

        async def work() -> None:
            secret = await self.admin.reset_password(user.id, password)
            self.reset_edit.clear()
            self.clear_field_errors()
            self.say(
                translate(
                    "UsersPage", "New password set for {name}; their sessions were ended."
                ).format(name=user.username),
                "ok",
            )
            self._show_secret(user.username, secret)

        self.secret_label.setVisible(False)
        self.run(work, on_error=self._reset_failed)

    def _reset_failed(self, exc: ApiError) -> None:
        errors = [("new_password", m) if f == "password" else (f, m) for f, m in exc.field_errors]
        if errors:
            self.show_field_errors(errors)
            self.say(
                translate(
                    "AdminPage", "Nothing was saved: the server refused the fields marked below."
                ),
                "error",
            )
        else:
            self.save_failed(exc)
