"""The knowledge base: pattern files (TOML, one cause each), checked against triage/kb/schema.py by pydantic on load."""

from triage.kb.loader import KnowledgeBase, PatternError, default_patterns_dir, load, user_patterns_dir
from triage.kb.schema import MatchRule, Pattern

__all__ = ["KnowledgeBase", "MatchRule", "Pattern", "PatternError", "default_patterns_dir", "load", "user_patterns_dir"]
