"""Python classes compiled by ``pyside6-uic`` from ``ui/*.ui``; regenerate with ``make forms``."""
