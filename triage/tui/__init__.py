"""The Textual TUI (`warboy-triage tui`). Only the tui command imports this package's app.

Modules without Textual imports hold the data work (logindex, analysis, kbsearch, checklist,
present); app.py, screens/ and widgets/ only display it.
"""
