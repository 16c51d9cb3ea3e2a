"""Footer labels in the app's language: each binding's description comes from triage/i18n.py by its action."""

from __future__ import annotations

from dataclasses import replace

from textual.dom import DOMNode

from triage.i18n import LABELS, label


def translate_bindings(node: DOMNode, lang: str) -> None:
    """Relabel `node`'s own bindings (the app's or a screen's); actions without a label keep theirs."""
    bindings_map = node._bindings
    for key, bindings in list(bindings_map.key_to_bindings.items()):
        bindings_map.key_to_bindings[key] = [
            replace(b, description=label(f"key_{b.action}", lang)) if f"key_{b.action}" in LABELS["en"] else b
            for b in bindings
        ]
