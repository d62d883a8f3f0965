"""operator-app: the whole customer in one window, online or offline."""

__version__ = "0.1.0"
APP_NAME = "operator-app"
ORG_NAME = "operator-app"
