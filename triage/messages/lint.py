"""lint messages"""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {"en": {}, "ko": {}}
