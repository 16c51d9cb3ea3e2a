"""Screens of the TUI: each composes widgets and handles their messages."""
