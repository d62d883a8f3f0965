# -*- coding: utf-8 -*-

################################################################################
## Form generated from reading UI file 'new_customer_form.ui'
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
from PySide6.QtWidgets import (QApplication, QFormLayout, QFrame, QHBoxLayout,
    QLabel, QLineEdit, QPushButton, QSizePolicy,
    QSpacerItem, QVBoxLayout, QWidget)

class Ui_NewCustomerForm(object):
    def setupUi(self, NewCustomerForm):
        if not NewCustomerForm.objectName():
            NewCustomerForm.setObjectName(u"NewCustomerForm")
        NewCustomerForm.resize(640, 600)
        self.formPageLayout = QVBoxLayout(NewCustomerForm)
        self.formPageLayout.setSpacing(12)
        self.formPageLayout.setObjectName(u"formPageLayout")
        self.formPageLayout.setContentsMargins(24, 24, 24, 24)
        self.formFrame = QFrame(NewCustomerForm)
        self.formFrame.setObjectName(u"formFrame")
        self.formFrame.setProperty(u"cssClass", u"card")
        self.formFrame.setMaximumSize(QSize(560, 16777215))
        self.formFrameLayout = QVBoxLayout(self.formFrame)
        self.formFrameLayout.setSpacing(14)
        self.formFrameLayout.setObjectName(u"formFrameLayout")
        self.formFrameLayout.setContentsMargins(20, 20, 20, 20)
        self.titleLabel = QLabel(self.formFrame)
        self.titleLabel.setObjectName(u"titleLabel")
        self.titleLabel.setProperty(u"cssClass", u"pageTitle")

        self.formFrameLayout.addWidget(self.titleLabel)

        self.introLabel = QLabel(self.formFrame)
        self.introLabel.setObjectName(u"introLabel")
        self.introLabel.setProperty(u"cssClass", u"muted")
        self.introLabel.setWordWrap(True)

        self.formFrameLayout.addWidget(self.introLabel)

        self.fieldsLayout = QFormLayout()
        self.fieldsLayout.setObjectName(u"fieldsLayout")
        self.fieldsLayout.setHorizontalSpacing(12)
        self.fieldsLayout.setVerticalSpacing(10)
        self.fieldsLayout.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        self.lastNameLabel = QLabel(self.formFrame)
        self.lastNameLabel.setObjectName(u"lastNameLabel")

        self.fieldsLayout.setWidget(0, QFormLayout.ItemRole.LabelRole, self.lastNameLabel)

        self.lastNameEdit = QLineEdit(self.formFrame)
        self.lastNameEdit.setObjectName(u"lastNameEdit")

        self.fieldsLayout.setWidget(0, QFormLayout.ItemRole.FieldRole, self.lastNameEdit)

        self.firstNameLabel = QLabel(self.formFrame)
        self.firstNameLabel.setObjectName(u"firstNameLabel")

        self.fieldsLayout.setWidget(1, QFormLayout.ItemRole.LabelRole, self.firstNameLabel)

        self.firstNameEdit = QLineEdit(self.formFrame)
        self.firstNameEdit.setObjectName(u"firstNameEdit")

        self.fieldsLayout.setWidget(1, QFormLayout.ItemRole.FieldRole, self.firstNameEdit)

        self.middleNameLabel = QLabel(self.formFrame)
        self.middleNameLabel.setObjectName(u"middleNameLabel")

        self.fieldsLayout.setWidget(2, QFormLayout.ItemRole.LabelRole, self.middleNameLabel)

        self.middleNameEdit = QLineEdit(self.formFrame)
        self.middleNameEdit.setObjectName(u"middleNameEdit")

        self.fieldsLayout.setWidget(2, QFormLayout.ItemRole.FieldRole, self.middleNameEdit)

        self.phoneLabel = QLabel(self.formFrame)
        self.phoneLabel.setObjectName(u"phoneLabel")

        self.fieldsLayout.setWidget(3, QFormLayout.ItemRole.LabelRole, self.phoneLabel)

        self.phoneEdit = QLineEdit(self.formFrame)
        self.phoneEdit.setObjectName(u"phoneEdit")

        self.fieldsLayout.setWidget(3, QFormLayout.ItemRole.FieldRole, self.phoneEdit)

        self.emailLabel = QLabel(self.formFrame)
        self.emailLabel.setObjectName(u"emailLabel")

        self.fieldsLayout.setWidget(4, QFormLayout.ItemRole.LabelRole, self.emailLabel)

        self.emailEdit = QLineEdit(self.formFrame)
        self.emailEdit.setObjectName(u"emailEdit")

        self.fieldsLayout.setWidget(4, QFormLayout.ItemRole.FieldRole, self.emailEdit)


        self.formFrameLayout.addLayout(self.fieldsLayout)

        self.formButtons = QHBoxLayout()
        self.formButtons.setSpacing(10)
        self.formButtons.setObjectName(u"formButtons")
        self.formButtonSpacer = QSpacerItem(0, 0, QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)

        self.formButtons.addItem(self.formButtonSpacer)

        self.cancelButton = QPushButton(self.formFrame)
        self.cancelButton.setObjectName(u"cancelButton")

        self.formButtons.addWidget(self.cancelButton)

        self.saveButton = QPushButton(self.formFrame)
        self.saveButton.setObjectName(u"saveButton")
        self.saveButton.setProperty(u"cssClass", u"primary")
        self.saveButton.setEnabled(False)

        self.formButtons.addWidget(self.saveButton)


        self.formFrameLayout.addLayout(self.formButtons)


        self.formPageLayout.addWidget(self.formFrame)

        self.formBottomSpacer = QSpacerItem(0, 0, QSizePolicy.Policy.Minimum, QSizePolicy.Policy.Expanding)

        self.formPageLayout.addItem(self.formBottomSpacer)

#if QT_CONFIG(shortcut)
        self.lastNameLabel.setBuddy(self.lastNameEdit)
        self.firstNameLabel.setBuddy(self.firstNameEdit)
        self.middleNameLabel.setBuddy(self.middleNameEdit)
        self.phoneLabel.setBuddy(self.phoneEdit)
        self.emailLabel.setBuddy(self.emailEdit)
#endif // QT_CONFIG(shortcut)

        self.retranslateUi(NewCustomerForm)

        QMetaObject.connectSlotsByName(NewCustomerForm)
    # setupUi

    def retranslateUi(self, NewCustomerForm):
#if QT_CONFIG(accessibility)
        NewCustomerForm.setAccessibleName(QCoreApplication.translate("NewCustomerForm", u"New customer", None))
#endif // QT_CONFIG(accessibility)
        self.titleLabel.setText(QCoreApplication.translate("NewCustomerForm", u"New customer", None))
        self.introLabel.setText(QCoreApplication.translate("NewCustomerForm", u"Fill in what the caller tells you. Fields can be completed later.", None))
        self.lastNameLabel.setText(QCoreApplication.translate("NewCustomerForm", u"&Last name", None))
#if QT_CONFIG(accessibility)
        self.lastNameEdit.setAccessibleName(QCoreApplication.translate("NewCustomerForm", u"Last name", None))
#endif // QT_CONFIG(accessibility)
        self.firstNameLabel.setText(QCoreApplication.translate("NewCustomerForm", u"&First name", None))
#if QT_CONFIG(accessibility)
        self.firstNameEdit.setAccessibleName(QCoreApplication.translate("NewCustomerForm", u"First name", None))
#endif // QT_CONFIG(accessibility)
        self.middleNameLabel.setText(QCoreApplication.translate("NewCustomerForm", u"&Middle name", None))
#if QT_CONFIG(accessibility)
        self.middleNameEdit.setAccessibleName(QCoreApplication.translate("NewCustomerForm", u"Middle name", None))
#endif // QT_CONFIG(accessibility)
        self.middleNameEdit.setPlaceholderText(QCoreApplication.translate("NewCustomerForm", u"optional", None))
        self.phoneLabel.setText(QCoreApplication.translate("NewCustomerForm", u"&Phone", None))
#if QT_CONFIG(accessibility)
        self.phoneEdit.setAccessibleName(QCoreApplication.translate("NewCustomerForm", u"Phone", None))
#endif // QT_CONFIG(accessibility)
        self.emailLabel.setText(QCoreApplication.translate("NewCustomerForm", u"&E-mail", None))
#if QT_CONFIG(accessibility)
        self.emailEdit.setAccessibleName(QCoreApplication.translate("NewCustomerForm", u"E-mail", None))
#endif // QT_CONFIG(accessibility)
        self.emailEdit.setPlaceholderText(QCoreApplication.translate("NewCustomerForm", u"optional", None))
        self.cancelButton.setText(QCoreApplication.translate("NewCustomerForm", u"Cancel", None))
#if QT_CONFIG(accessibility)
        self.cancelButton.setAccessibleName(QCoreApplication.translate("NewCustomerForm", u"Cancel new customer", None))
#endif // QT_CONFIG(accessibility)
#if QT_CONFIG(tooltip)
        self.cancelButton.setToolTip(QCoreApplication.translate("NewCustomerForm", u"Back to the caller's number (Esc)", None))
#endif // QT_CONFIG(tooltip)
        self.saveButton.setText(QCoreApplication.translate("NewCustomerForm", u"Save customer", None))
#if QT_CONFIG(accessibility)
        self.saveButton.setAccessibleName(QCoreApplication.translate("NewCustomerForm", u"Save customer", None))
#endif // QT_CONFIG(accessibility)
#if QT_CONFIG(tooltip)
        self.saveButton.setToolTip(QCoreApplication.translate("NewCustomerForm", u"Available when connected to a server", None))
#endif // QT_CONFIG(tooltip)
    # retranslateUi

