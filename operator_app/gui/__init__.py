"""Qt layer: windows, widgets, models, controllers, theme, i18n."""
