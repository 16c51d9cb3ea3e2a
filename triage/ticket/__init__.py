"""`warboy-triage ticket`: a support ticket body and a redacted bundle from logs plus doctor."""
