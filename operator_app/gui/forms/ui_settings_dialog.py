# -*- coding: utf-8 -*-

################################################################################
## Form generated from reading UI file 'settings_dialog.ui'
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
from PySide6.QtWidgets import (QAbstractButton, QApplication, QCheckBox, QComboBox,
    QDialog, QDialogButtonBox, QDoubleSpinBox, QFormLayout,
    QHBoxLayout, QLabel, QLineEdit, QListWidget,
    QListWidgetItem, QPushButton, QSizePolicy, QSpacerItem,
    QSpinBox, QStackedWidget, QVBoxLayout, QWidget)

class Ui_SettingsDialog(object):
    def setupUi(self, SettingsDialog):
        if not SettingsDialog.objectName():
            SettingsDialog.setObjectName(u"SettingsDialog")
        SettingsDialog.resize(720, 480)
        self.dialogLayout = QVBoxLayout(SettingsDialog)
        self.dialogLayout.setObjectName(u"dialogLayout")
        self.bodyLayout = QHBoxLayout()
        self.bodyLayout.setObjectName(u"bodyLayout")
        self.pageList = QListWidget(SettingsDialog)
        QListWidgetItem(self.pageList)
        QListWidgetItem(self.pageList)
        QListWidgetItem(self.pageList)
        QListWidgetItem(self.pageList)
        QListWidgetItem(self.pageList)
        QListWidgetItem(self.pageList)
        self.pageList.setObjectName(u"pageList")
        self.pageList.setMaximumSize(QSize(180, 16777215))

        self.bodyLayout.addWidget(self.pageList)

        self.pages = QStackedWidget(SettingsDialog)
        self.pages.setObjectName(u"pages")
        self.connectionPage = QWidget()
        self.connectionPage.setObjectName(u"connectionPage")
        self.connectionForm = QFormLayout(self.connectionPage)
        self.connectionForm.setObjectName(u"connectionForm")
        self.serverUrlEditLabel = QLabel(self.connectionPage)
        self.serverUrlEditLabel.setObjectName(u"serverUrlEditLabel")

        self.connectionForm.setWidget(0, QFormLayout.ItemRole.LabelRole, self.serverUrlEditLabel)

        self.serverUrlEdit = QLineEdit(self.connectionPage)
        self.serverUrlEdit.setObjectName(u"serverUrlEdit")

        self.connectionForm.setWidget(0, QFormLayout.ItemRole.FieldRole, self.serverUrlEdit)

        self.serverUrlError = QLabel(self.connectionPage)
        self.serverUrlError.setObjectName(u"serverUrlError")
        self.serverUrlError.setWordWrap(True)
        self.serverUrlError.setVisible(False)

        self.connectionForm.setWidget(1, QFormLayout.ItemRole.FieldRole, self.serverUrlError)

        self.testRow = QWidget(self.connectionPage)
        self.testRow.setObjectName(u"testRow")
        self.testRowLayout = QHBoxLayout(self.testRow)
        self.testRowLayout.setObjectName(u"testRowLayout")
        self.testRowLayout.setContentsMargins(0, 0, 0, 0)
        self.testButton = QPushButton(self.testRow)
        self.testButton.setObjectName(u"testButton")

        self.testRowLayout.addWidget(self.testButton)

        self.testResultLabel = QLabel(self.testRow)
        self.testResultLabel.setObjectName(u"testResultLabel")
        self.testResultLabel.setWordWrap(True)
        self.testResultLabel.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.testRowLayout.addWidget(self.testResultLabel)

        self.testSpacer = QSpacerItem(0, 0, QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)

        self.testRowLayout.addItem(self.testSpacer)


        self.connectionForm.setWidget(2, QFormLayout.ItemRole.SpanningRole, self.testRow)

        self.caBundleEditLabel = QLabel(self.connectionPage)
        self.caBundleEditLabel.setObjectName(u"caBundleEditLabel")

        self.connectionForm.setWidget(3, QFormLayout.ItemRole.LabelRole, self.caBundleEditLabel)

        self.caBundleEdit = QLineEdit(self.connectionPage)
        self.caBundleEdit.setObjectName(u"caBundleEdit")

        self.connectionForm.setWidget(3, QFormLayout.ItemRole.FieldRole, self.caBundleEdit)

        self.caBundleError = QLabel(self.connectionPage)
        self.caBundleError.setObjectName(u"caBundleError")
        self.caBundleError.setWordWrap(True)
        self.caBundleError.setVisible(False)

        self.connectionForm.setWidget(4, QFormLayout.ItemRole.FieldRole, self.caBundleError)

        self.proxyEditLabel = QLabel(self.connectionPage)
        self.proxyEditLabel.setObjectName(u"proxyEditLabel")

        self.connectionForm.setWidget(5, QFormLayout.ItemRole.LabelRole, self.proxyEditLabel)

        self.proxyEdit = QLineEdit(self.connectionPage)
        self.proxyEdit.setObjectName(u"proxyEdit")

        self.connectionForm.setWidget(5, QFormLayout.ItemRole.FieldRole, self.proxyEdit)

        self.proxyError = QLabel(self.connectionPage)
        self.proxyError.setObjectName(u"proxyError")
        self.proxyError.setWordWrap(True)
        self.proxyError.setVisible(False)

        self.connectionForm.setWidget(6, QFormLayout.ItemRole.FieldRole, self.proxyError)

        self.timeoutSpinLabel = QLabel(self.connectionPage)
        self.timeoutSpinLabel.setObjectName(u"timeoutSpinLabel")

        self.connectionForm.setWidget(7, QFormLayout.ItemRole.LabelRole, self.timeoutSpinLabel)

        self.timeoutSpin = QDoubleSpinBox(self.connectionPage)
        self.timeoutSpin.setObjectName(u"timeoutSpin")
        self.timeoutSpin.setMinimum(1.000000000000000)
        self.timeoutSpin.setMaximum(300.000000000000000)
        self.timeoutSpin.setDecimals(0)

        self.connectionForm.setWidget(7, QFormLayout.ItemRole.FieldRole, self.timeoutSpin)

        self.pages.addWidget(self.connectionPage)
        self.accountPage = QWidget()
        self.accountPage.setObjectName(u"accountPage")
        self.accountForm = QFormLayout(self.accountPage)
        self.accountForm.setObjectName(u"accountForm")
        self.userLabelLabel = QLabel(self.accountPage)
        self.userLabelLabel.setObjectName(u"userLabelLabel")

        self.accountForm.setWidget(0, QFormLayout.ItemRole.LabelRole, self.userLabelLabel)

        self.userLabel = QLabel(self.accountPage)
        self.userLabel.setObjectName(u"userLabel")
        self.userLabel.setWordWrap(True)
        self.userLabel.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.accountForm.setWidget(0, QFormLayout.ItemRole.FieldRole, self.userLabel)

        self.userEditLabel = QLabel(self.accountPage)
        self.userEditLabel.setObjectName(u"userEditLabel")

        self.accountForm.setWidget(1, QFormLayout.ItemRole.LabelRole, self.userEditLabel)

        self.userEdit = QLineEdit(self.accountPage)
        self.userEdit.setObjectName(u"userEdit")

        self.accountForm.setWidget(1, QFormLayout.ItemRole.FieldRole, self.userEdit)

        self.userError = QLabel(self.accountPage)
        self.userError.setObjectName(u"userError")
        self.userError.setWordWrap(True)
        self.userError.setVisible(False)

        self.accountForm.setWidget(2, QFormLayout.ItemRole.FieldRole, self.userError)

        self.signOutButton = QPushButton(self.accountPage)
        self.signOutButton.setObjectName(u"signOutButton")

        self.accountForm.setWidget(3, QFormLayout.ItemRole.SpanningRole, self.signOutButton)

        self.forgetTokenButton = QPushButton(self.accountPage)
        self.forgetTokenButton.setObjectName(u"forgetTokenButton")

        self.accountForm.setWidget(4, QFormLayout.ItemRole.SpanningRole, self.forgetTokenButton)

        self.wipeCacheButton = QPushButton(self.accountPage)
        self.wipeCacheButton.setObjectName(u"wipeCacheButton")

        self.accountForm.setWidget(5, QFormLayout.ItemRole.SpanningRole, self.wipeCacheButton)

        self.accountStatusLabel = QLabel(self.accountPage)
        self.accountStatusLabel.setObjectName(u"accountStatusLabel")
        self.accountStatusLabel.setWordWrap(True)
        self.accountStatusLabel.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.accountForm.setWidget(6, QFormLayout.ItemRole.SpanningRole, self.accountStatusLabel)

        self.pages.addWidget(self.accountPage)
        self.syncPage = QWidget()
        self.syncPage.setObjectName(u"syncPage")
        self.syncForm = QFormLayout(self.syncPage)
        self.syncForm.setObjectName(u"syncForm")
        self.intervalSpinLabel = QLabel(self.syncPage)
        self.intervalSpinLabel.setObjectName(u"intervalSpinLabel")

        self.syncForm.setWidget(0, QFormLayout.ItemRole.LabelRole, self.intervalSpinLabel)

        self.intervalSpin = QSpinBox(self.syncPage)
        self.intervalSpin.setObjectName(u"intervalSpin")
        self.intervalSpin.setMinimum(15)
        self.intervalSpin.setMaximum(86400)

        self.syncForm.setWidget(0, QFormLayout.ItemRole.FieldRole, self.intervalSpin)

        self.cacheLocationEditLabel = QLabel(self.syncPage)
        self.cacheLocationEditLabel.setObjectName(u"cacheLocationEditLabel")

        self.syncForm.setWidget(1, QFormLayout.ItemRole.LabelRole, self.cacheLocationEditLabel)

        self.cacheLocationEdit = QLineEdit(self.syncPage)
        self.cacheLocationEdit.setObjectName(u"cacheLocationEdit")

        self.syncForm.setWidget(1, QFormLayout.ItemRole.FieldRole, self.cacheLocationEdit)

        self.cacheLocationError = QLabel(self.syncPage)
        self.cacheLocationError.setObjectName(u"cacheLocationError")
        self.cacheLocationError.setWordWrap(True)
        self.cacheLocationError.setVisible(False)

        self.syncForm.setWidget(2, QFormLayout.ItemRole.FieldRole, self.cacheLocationError)

        self.cacheSizeLabelLabel = QLabel(self.syncPage)
        self.cacheSizeLabelLabel.setObjectName(u"cacheSizeLabelLabel")

        self.syncForm.setWidget(3, QFormLayout.ItemRole.LabelRole, self.cacheSizeLabelLabel)

        self.cacheSizeLabel = QLabel(self.syncPage)
        self.cacheSizeLabel.setObjectName(u"cacheSizeLabel")
        self.cacheSizeLabel.setWordWrap(True)
        self.cacheSizeLabel.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.syncForm.setWidget(3, QFormLayout.ItemRole.FieldRole, self.cacheSizeLabel)

        self.pages.addWidget(self.syncPage)
        self.notificationsPage = QWidget()
        self.notificationsPage.setObjectName(u"notificationsPage")
        self.notificationsForm = QFormLayout(self.notificationsPage)
        self.notificationsForm.setObjectName(u"notificationsForm")
        self.notificationsCheck = QCheckBox(self.notificationsPage)
        self.notificationsCheck.setObjectName(u"notificationsCheck")

        self.notificationsForm.setWidget(0, QFormLayout.ItemRole.SpanningRole, self.notificationsCheck)

        self.soundCheck = QCheckBox(self.notificationsPage)
        self.soundCheck.setObjectName(u"soundCheck")

        self.notificationsForm.setWidget(1, QFormLayout.ItemRole.SpanningRole, self.soundCheck)

        self.pages.addWidget(self.notificationsPage)
        self.appearancePage = QWidget()
        self.appearancePage.setObjectName(u"appearancePage")
        self.appearanceForm = QFormLayout(self.appearancePage)
        self.appearanceForm.setObjectName(u"appearanceForm")
        self.languageComboLabel = QLabel(self.appearancePage)
        self.languageComboLabel.setObjectName(u"languageComboLabel")

        self.appearanceForm.setWidget(0, QFormLayout.ItemRole.LabelRole, self.languageComboLabel)

        self.languageCombo = QComboBox(self.appearancePage)
        self.languageCombo.setObjectName(u"languageCombo")

        self.appearanceForm.setWidget(0, QFormLayout.ItemRole.FieldRole, self.languageCombo)

        self.themeComboLabel = QLabel(self.appearancePage)
        self.themeComboLabel.setObjectName(u"themeComboLabel")

        self.appearanceForm.setWidget(1, QFormLayout.ItemRole.LabelRole, self.themeComboLabel)

        self.themeCombo = QComboBox(self.appearancePage)
        self.themeCombo.setObjectName(u"themeCombo")

        self.appearanceForm.setWidget(1, QFormLayout.ItemRole.FieldRole, self.themeCombo)

        self.fontScaleSpinLabel = QLabel(self.appearancePage)
        self.fontScaleSpinLabel.setObjectName(u"fontScaleSpinLabel")

        self.appearanceForm.setWidget(2, QFormLayout.ItemRole.LabelRole, self.fontScaleSpinLabel)

        self.fontScaleSpin = QDoubleSpinBox(self.appearancePage)
        self.fontScaleSpin.setObjectName(u"fontScaleSpin")
        self.fontScaleSpin.setMinimum(0.800000000000000)
        self.fontScaleSpin.setMaximum(2.000000000000000)
        self.fontScaleSpin.setSingleStep(0.100000000000000)
        self.fontScaleSpin.setDecimals(2)

        self.appearanceForm.setWidget(2, QFormLayout.ItemRole.FieldRole, self.fontScaleSpin)

        self.densityComboLabel = QLabel(self.appearancePage)
        self.densityComboLabel.setObjectName(u"densityComboLabel")

        self.appearanceForm.setWidget(3, QFormLayout.ItemRole.LabelRole, self.densityComboLabel)

        self.densityCombo = QComboBox(self.appearancePage)
        self.densityCombo.setObjectName(u"densityCombo")

        self.appearanceForm.setWidget(3, QFormLayout.ItemRole.FieldRole, self.densityCombo)

        self.autostartCheck = QCheckBox(self.appearancePage)
        self.autostartCheck.setObjectName(u"autostartCheck")

        self.appearanceForm.setWidget(4, QFormLayout.ItemRole.SpanningRole, self.autostartCheck)

        self.pages.addWidget(self.appearancePage)
        self.shortcutsPage = QWidget()
        self.shortcutsPage.setObjectName(u"shortcutsPage")
        self.shortcutsForm = QFormLayout(self.shortcutsPage)
        self.shortcutsForm.setObjectName(u"shortcutsForm")
        self.pages.addWidget(self.shortcutsPage)

        self.bodyLayout.addWidget(self.pages)


        self.dialogLayout.addLayout(self.bodyLayout)

        self.noticeLabel = QLabel(SettingsDialog)
        self.noticeLabel.setObjectName(u"noticeLabel")
        self.noticeLabel.setWordWrap(True)
        self.noticeLabel.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.dialogLayout.addWidget(self.noticeLabel)

        self.buttonBox = QDialogButtonBox(SettingsDialog)
        self.buttonBox.setObjectName(u"buttonBox")
        self.buttonBox.setStandardButtons(QDialogButtonBox.StandardButton.Cancel|QDialogButtonBox.StandardButton.Save)

        self.dialogLayout.addWidget(self.buttonBox)


        self.retranslateUi(SettingsDialog)
        self.pageList.currentRowChanged.connect(self.pages.setCurrentIndex)

        QMetaObject.connectSlotsByName(SettingsDialog)
    # setupUi

    def retranslateUi(self, SettingsDialog):
        SettingsDialog.setWindowTitle(QCoreApplication.translate("SettingsDialog", u"Settings", None))
#if QT_CONFIG(accessibility)
        SettingsDialog.setAccessibleName(QCoreApplication.translate("SettingsDialog", u"Settings", None))
#endif // QT_CONFIG(accessibility)

        __sortingEnabled = self.pageList.isSortingEnabled()
        self.pageList.setSortingEnabled(False)
        ___qlistwidgetitem = self.pageList.item(0)
        ___qlistwidgetitem.setText(QCoreApplication.translate("SettingsDialog", u"Connection", None))
        ___qlistwidgetitem1 = self.pageList.item(1)
        ___qlistwidgetitem1.setText(QCoreApplication.translate("SettingsDialog", u"Account", None))
        ___qlistwidgetitem2 = self.pageList.item(2)
        ___qlistwidgetitem2.setText(QCoreApplication.translate("SettingsDialog", u"Sync and cache", None))
        ___qlistwidgetitem3 = self.pageList.item(3)
        ___qlistwidgetitem3.setText(QCoreApplication.translate("SettingsDialog", u"Notifications", None))
        ___qlistwidgetitem4 = self.pageList.item(4)
        ___qlistwidgetitem4.setText(QCoreApplication.translate("SettingsDialog", u"Appearance", None))
        ___qlistwidgetitem5 = self.pageList.item(5)
        ___qlistwidgetitem5.setText(QCoreApplication.translate("SettingsDialog", u"Shortcuts", None))
        self.pageList.setSortingEnabled(__sortingEnabled)

#if QT_CONFIG(accessibility)
        self.pageList.setAccessibleName(QCoreApplication.translate("SettingsDialog", u"Settings pages", None))
#endif // QT_CONFIG(accessibility)
#if QT_CONFIG(accessibility)
        self.pages.setAccessibleName(QCoreApplication.translate("SettingsDialog", u"Settings page", None))
#endif // QT_CONFIG(accessibility)
        self.serverUrlEditLabel.setText(QCoreApplication.translate("SettingsDialog", u"Server address", None))
#if QT_CONFIG(accessibility)
        self.serverUrlEdit.setAccessibleName(QCoreApplication.translate("SettingsDialog", u"Server address", None))
#endif // QT_CONFIG(accessibility)
        self.serverUrlEdit.setPlaceholderText(QCoreApplication.translate("SettingsDialog", u"https://crm.example.com", None))
        self.serverUrlError.setText("")
#if QT_CONFIG(accessibility)
        self.serverUrlError.setAccessibleName(QCoreApplication.translate("SettingsDialog", u"serverUrl problem", None))
#endif // QT_CONFIG(accessibility)
        self.testButton.setText(QCoreApplication.translate("SettingsDialog", u"Test connection", None))
#if QT_CONFIG(accessibility)
        self.testButton.setAccessibleName(QCoreApplication.translate("SettingsDialog", u"Test connection", None))
#endif // QT_CONFIG(accessibility)
        self.testResultLabel.setText("")
#if QT_CONFIG(accessibility)
        self.testResultLabel.setAccessibleName(QCoreApplication.translate("SettingsDialog", u"Connection test result", None))
#endif // QT_CONFIG(accessibility)
        self.caBundleEditLabel.setText(QCoreApplication.translate("SettingsDialog", u"CA bundle", None))
#if QT_CONFIG(accessibility)
        self.caBundleEdit.setAccessibleName(QCoreApplication.translate("SettingsDialog", u"CA bundle file", None))
#endif // QT_CONFIG(accessibility)
        self.caBundleEdit.setPlaceholderText(QCoreApplication.translate("SettingsDialog", u"System certificates", None))
        self.caBundleError.setText("")
#if QT_CONFIG(accessibility)
        self.caBundleError.setAccessibleName(QCoreApplication.translate("SettingsDialog", u"caBundle problem", None))
#endif // QT_CONFIG(accessibility)
        self.proxyEditLabel.setText(QCoreApplication.translate("SettingsDialog", u"Proxy", None))
#if QT_CONFIG(accessibility)
        self.proxyEdit.setAccessibleName(QCoreApplication.translate("SettingsDialog", u"Proxy address", None))
#endif // QT_CONFIG(accessibility)
        self.proxyEdit.setPlaceholderText(QCoreApplication.translate("SettingsDialog", u"Direct connection", None))
        self.proxyError.setText("")
#if QT_CONFIG(accessibility)
        self.proxyError.setAccessibleName(QCoreApplication.translate("SettingsDialog", u"proxy problem", None))
#endif // QT_CONFIG(accessibility)
        self.timeoutSpinLabel.setText(QCoreApplication.translate("SettingsDialog", u"Timeout", None))
#if QT_CONFIG(accessibility)
        self.timeoutSpin.setAccessibleName(QCoreApplication.translate("SettingsDialog", u"Connection timeout in seconds", None))
#endif // QT_CONFIG(accessibility)
        self.timeoutSpin.setSuffix(QCoreApplication.translate("SettingsDialog", u" s", None))
        self.userLabelLabel.setText(QCoreApplication.translate("SettingsDialog", u"Signed in as", None))
        self.userLabel.setText("")
#if QT_CONFIG(accessibility)
        self.userLabel.setAccessibleName(QCoreApplication.translate("SettingsDialog", u"Signed-in user", None))
#endif // QT_CONFIG(accessibility)
        self.userEditLabel.setText(QCoreApplication.translate("SettingsDialog", u"User name", None))
#if QT_CONFIG(accessibility)
        self.userEdit.setAccessibleName(QCoreApplication.translate("SettingsDialog", u"User name for the next sign-in", None))
#endif // QT_CONFIG(accessibility)
        self.userEdit.setPlaceholderText("")
        self.userError.setText("")
#if QT_CONFIG(accessibility)
        self.userError.setAccessibleName(QCoreApplication.translate("SettingsDialog", u"user problem", None))
#endif // QT_CONFIG(accessibility)
        self.signOutButton.setText(QCoreApplication.translate("SettingsDialog", u"Sign out", None))
#if QT_CONFIG(accessibility)
        self.signOutButton.setAccessibleName(QCoreApplication.translate("SettingsDialog", u"Sign out", None))
#endif // QT_CONFIG(accessibility)
        self.forgetTokenButton.setText(QCoreApplication.translate("SettingsDialog", u"Forget saved sign-in", None))
#if QT_CONFIG(accessibility)
        self.forgetTokenButton.setAccessibleName(QCoreApplication.translate("SettingsDialog", u"Forget the saved sign-in token", None))
#endif // QT_CONFIG(accessibility)
        self.wipeCacheButton.setText(QCoreApplication.translate("SettingsDialog", u"Wipe local cache\u2026", None))
#if QT_CONFIG(accessibility)
        self.wipeCacheButton.setAccessibleName(QCoreApplication.translate("SettingsDialog", u"Wipe the local cache", None))
#endif // QT_CONFIG(accessibility)
        self.accountStatusLabel.setText("")
#if QT_CONFIG(accessibility)
        self.accountStatusLabel.setAccessibleName(QCoreApplication.translate("SettingsDialog", u"Account status", None))
#endif // QT_CONFIG(accessibility)
        self.intervalSpinLabel.setText(QCoreApplication.translate("SettingsDialog", u"Sync every", None))
#if QT_CONFIG(accessibility)
        self.intervalSpin.setAccessibleName(QCoreApplication.translate("SettingsDialog", u"Sync interval in seconds", None))
#endif // QT_CONFIG(accessibility)
        self.intervalSpin.setSuffix(QCoreApplication.translate("SettingsDialog", u" s", None))
        self.cacheLocationEditLabel.setText(QCoreApplication.translate("SettingsDialog", u"Cache folder", None))
#if QT_CONFIG(accessibility)
        self.cacheLocationEdit.setAccessibleName(QCoreApplication.translate("SettingsDialog", u"Cache folder", None))
#endif // QT_CONFIG(accessibility)
        self.cacheLocationEdit.setPlaceholderText(QCoreApplication.translate("SettingsDialog", u"The data folder", None))
        self.cacheLocationError.setText("")
#if QT_CONFIG(accessibility)
        self.cacheLocationError.setAccessibleName(QCoreApplication.translate("SettingsDialog", u"cacheLocation problem", None))
#endif // QT_CONFIG(accessibility)
        self.cacheSizeLabelLabel.setText(QCoreApplication.translate("SettingsDialog", u"Cache size", None))
        self.cacheSizeLabel.setText("")
#if QT_CONFIG(accessibility)
        self.cacheSizeLabel.setAccessibleName(QCoreApplication.translate("SettingsDialog", u"Cache size on disk", None))
#endif // QT_CONFIG(accessibility)
        self.notificationsCheck.setText(QCoreApplication.translate("SettingsDialog", u"Show desktop notifications", None))
#if QT_CONFIG(accessibility)
        self.notificationsCheck.setAccessibleName(QCoreApplication.translate("SettingsDialog", u"Show desktop notifications", None))
#endif // QT_CONFIG(accessibility)
        self.soundCheck.setText(QCoreApplication.translate("SettingsDialog", u"Play a sound", None))
#if QT_CONFIG(accessibility)
        self.soundCheck.setAccessibleName(QCoreApplication.translate("SettingsDialog", u"Play a sound with notifications", None))
#endif // QT_CONFIG(accessibility)
        self.languageComboLabel.setText(QCoreApplication.translate("SettingsDialog", u"Language", None))
#if QT_CONFIG(accessibility)
        self.languageCombo.setAccessibleName(QCoreApplication.translate("SettingsDialog", u"Interface language", None))
#endif // QT_CONFIG(accessibility)
        self.themeComboLabel.setText(QCoreApplication.translate("SettingsDialog", u"Theme", None))
#if QT_CONFIG(accessibility)
        self.themeCombo.setAccessibleName(QCoreApplication.translate("SettingsDialog", u"Colour theme", None))
#endif // QT_CONFIG(accessibility)
        self.fontScaleSpinLabel.setText(QCoreApplication.translate("SettingsDialog", u"Font scale", None))
#if QT_CONFIG(accessibility)
        self.fontScaleSpin.setAccessibleName(QCoreApplication.translate("SettingsDialog", u"Font scale", None))
#endif // QT_CONFIG(accessibility)
        self.densityComboLabel.setText(QCoreApplication.translate("SettingsDialog", u"Density", None))
#if QT_CONFIG(accessibility)
        self.densityCombo.setAccessibleName(QCoreApplication.translate("SettingsDialog", u"Density", None))
#endif // QT_CONFIG(accessibility)
        self.autostartCheck.setText(QCoreApplication.translate("SettingsDialog", u"Start when I sign in to the computer", None))
#if QT_CONFIG(accessibility)
        self.autostartCheck.setAccessibleName(QCoreApplication.translate("SettingsDialog", u"Start automatically", None))
#endif // QT_CONFIG(accessibility)
        self.noticeLabel.setText("")
#if QT_CONFIG(accessibility)
        self.noticeLabel.setAccessibleName(QCoreApplication.translate("SettingsDialog", u"Settings notice", None))
#endif // QT_CONFIG(accessibility)
#if QT_CONFIG(accessibility)
        self.buttonBox.setAccessibleName(QCoreApplication.translate("SettingsDialog", u"Save or cancel", None))
#endif // QT_CONFIG(accessibility)
    # retranslateUi

