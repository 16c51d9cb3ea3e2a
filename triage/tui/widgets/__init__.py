"""Widgets of the TUI: each displays data it is given and posts messages; none parses logs."""
