"""The commands: each module wires one command's options and messages to the core.

Only this package, triage/cli.py and triage/tui/ may import typer or textual (import-linter
contracts in pyproject.toml). triage/cli.py registers every module listed in COMMANDS.
"""
