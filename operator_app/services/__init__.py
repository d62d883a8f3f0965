"""Qt-free application services the GUI and the command line share."""
