"""Labels that route a host's findings in a fleet (`--label host=... --label job=...`), and the
stable key of a finding that log shippers and Loki deduplicate on."""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterable, Mapping

_NAME = re.compile(r"^[a-zA-Z_][a-zA-Z0-9_]*$")  # Prometheus and Loki label names
RESERVED = {"record", "source", "key", "labels"}
"""Keys of a JSONL record that labels sit beside."""
BUILT_IN = {"id", "severity", "component", "kind", "confidence", "version"}
"""Labels of the Prometheus series (triage/render/prometheus.py): a --label of the same name would
overwrite them (`--label id=x` turned every finding's id into x)."""


class LabelError(ValueError):
    pass


def parse_labels(items: Iterable[str], default_host: bool = True) -> dict[str, str]:
    """`k=v` strings -> labels; `host` defaults to this machine's name unless given (or turned off)."""
    labels: dict[str, str] = {}
    for item in items:
        name, sep, value = item.partition("=")
        name = name.strip()
        if not sep or not _NAME.match(name):
            raise LabelError(f"--label {item!r}: expected NAME=VALUE with NAME of letters, digits and _")
        if name.startswith("__"):
            raise LabelError(f"--label {item!r}: names starting with __ are reserved by Prometheus")
        if name in RESERVED | BUILT_IN:
            taken = ", ".join(sorted(RESERVED | BUILT_IN))
            raise LabelError(f"--label {item!r}: {name} is one of warboy-triage's own labels ({taken}); pick another")
        labels[name] = value
    if default_host and "host" not in labels:
        import socket  # here: most runs give no jsonl label (start-up)

        with contextlib.suppress(OSError):
            labels = {"host": socket.gethostname(), **labels}
    return labels


def finding_key(finding_id: str, source: str, labels: Mapping[str, str]) -> str:
    """Same cause, same input, same labels -> same key, run after run (for deduplication)."""
    import hashlib
    import json

    blob = json.dumps([finding_id, source, sorted(labels.items())], ensure_ascii=False)
    return hashlib.sha256(blob.encode()).hexdigest()[:16]
