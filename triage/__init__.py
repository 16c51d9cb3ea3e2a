"""warboy-triage: diagnose FuriosaAI Warboy NPU logs."""

__version__ = "0.1.0"
