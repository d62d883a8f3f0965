"""Widgets of the main window: panels, the timeline delegate, small display helpers."""
