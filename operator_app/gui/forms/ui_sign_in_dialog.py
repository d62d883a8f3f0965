# -*- coding: utf-8 -*-

################################################################################
## Form generated from reading UI file 'sign_in_dialog.ui'
##
## Created by: Qt User Interface Compiler version 6.11.3
##
## WARNING! All changes made in this file will be lost when recompiling UI file!
################################################################################

from PySide6.QtCore import (QCoreApplication, QDate, QDateTime, QLocale,
    QMetaObject, QObject, QPoint, QRect,
    QSize, QTime, QUrl, Qt)
from PySide6.QtGui import (QBrush, QColor, QConicalGradient, QCursor,
    QFont, QFontDatabase, QGradient, QIcon,
    QImage, QKeySequence, QLinearGradient, QPainter,
    QPalette, QPixmap, QRadialGradient, QTransform)
from PySide6.QtWidgets import (QAbstractButton, QApplication, QCheckBox, QDialog,
    QDialogButtonBox, QFormLayout, QLabel, QLineEdit,
    QSizePolicy, QVBoxLayout, QWidget)

class Ui_SignInDialog(object):
    def setupUi(self, SignInDialog):
        if not SignInDialog.objectName():
            SignInDialog.setObjectName(u"SignInDialog")
        SignInDialog.resize(420, 260)
        self.dialogLayout = QVBoxLayout(SignInDialog)
        self.dialogLayout.setObjectName(u"dialogLayout")
        self.introLabel = QLabel(SignInDialog)
        self.introLabel.setObjectName(u"introLabel")
        self.introLabel.setWordWrap(True)

        self.dialogLayout.addWidget(self.introLabel)

        self.formLayout = QFormLayout()
        self.formLayout.setObjectName(u"formLayout")
        self.serverLabel = QLabel(SignInDialog)
        self.serverLabel.setObjectName(u"serverLabel")

        self.formLayout.setWidget(0, QFormLayout.ItemRole.LabelRole, self.serverLabel)

        self.serverEdit = QLineEdit(SignInDialog)
        self.serverEdit.setObjectName(u"serverEdit")

        self.formLayout.setWidget(0, QFormLayout.ItemRole.FieldRole, self.serverEdit)

        self.userLabel = QLabel(SignInDialog)
        self.userLabel.setObjectName(u"userLabel")

        self.formLayout.setWidget(1, QFormLayout.ItemRole.LabelRole, self.userLabel)

        self.userEdit = QLineEdit(SignInDialog)
        self.userEdit.setObjectName(u"userEdit")

        self.formLayout.setWidget(1, QFormLayout.ItemRole.FieldRole, self.userEdit)

        self.passwordLabel = QLabel(SignInDialog)
        self.passwordLabel.setObjectName(u"passwordLabel")

        self.formLayout.setWidget(2, QFormLayout.ItemRole.LabelRole, self.passwordLabel)

        self.passwordEdit = QLineEdit(SignInDialog)
        self.passwordEdit.setObjectName(u"passwordEdit")
        self.passwordEdit.setEchoMode(QLineEdit.EchoMode.Password)

        self.formLayout.setWidget(2, QFormLayout.ItemRole.FieldRole, self.passwordEdit)

        self.rememberCheck = QCheckBox(SignInDialog)
        self.rememberCheck.setObjectName(u"rememberCheck")
        self.rememberCheck.setChecked(True)

        self.formLayout.setWidget(3, QFormLayout.ItemRole.FieldRole, self.rememberCheck)


        self.dialogLayout.addLayout(self.formLayout)

        self.messageLabel = QLabel(SignInDialog)
        self.messageLabel.setObjectName(u"messageLabel")
        self.messageLabel.setWordWrap(True)
        self.messageLabel.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.dialogLayout.addWidget(self.messageLabel)

        self.buttonBox = QDialogButtonBox(SignInDialog)
        self.buttonBox.setObjectName(u"buttonBox")
        self.buttonBox.setStandardButtons(QDialogButtonBox.StandardButton.Cancel|QDialogButtonBox.StandardButton.Ok)

        self.dialogLayout.addWidget(self.buttonBox)

#if QT_CONFIG(shortcut)
        self.serverLabel.setBuddy(self.serverEdit)
        self.userLabel.setBuddy(self.userEdit)
        self.passwordLabel.setBuddy(self.passwordEdit)
#endif // QT_CONFIG(shortcut)
        QWidget.setTabOrder(self.serverEdit, self.userEdit)
        QWidget.setTabOrder(self.userEdit, self.passwordEdit)
        QWidget.setTabOrder(self.passwordEdit, self.rememberCheck)

        self.retranslateUi(SignInDialog)

        QMetaObject.connectSlotsByName(SignInDialog)
    # setupUi

    def retranslateUi(self, SignInDialog):
        SignInDialog.setWindowTitle(QCoreApplication.translate("SignInDialog", u"Sign in", None))
        self.introLabel.setText(QCoreApplication.translate("SignInDialog", u"Sign in to the server to sync customers, notes and replies.", None))
        self.serverLabel.setText(QCoreApplication.translate("SignInDialog", u"&Server:", None))
#if QT_CONFIG(accessibility)
        self.serverEdit.setAccessibleName(QCoreApplication.translate("SignInDialog", u"Server address", None))
#endif // QT_CONFIG(accessibility)
        self.serverEdit.setPlaceholderText(QCoreApplication.translate("SignInDialog", u"https://crm.example.com", None))
        self.userLabel.setText(QCoreApplication.translate("SignInDialog", u"&User:", None))
#if QT_CONFIG(accessibility)
        self.userEdit.setAccessibleName(QCoreApplication.translate("SignInDialog", u"User name", None))
#endif // QT_CONFIG(accessibility)
        self.passwordLabel.setText(QCoreApplication.translate("SignInDialog", u"&Password:", None))
#if QT_CONFIG(accessibility)
        self.passwordEdit.setAccessibleName(QCoreApplication.translate("SignInDialog", u"Password", None))
#endif // QT_CONFIG(accessibility)
#if QT_CONFIG(accessibility)
        self.rememberCheck.setAccessibleName(QCoreApplication.translate("SignInDialog", u"Remember me on this computer", None))
#endif // QT_CONFIG(accessibility)
        self.rememberCheck.setText(QCoreApplication.translate("SignInDialog", u"&Remember me on this computer", None))
    # retranslateUi

