"""docs/fleet/: the DaemonSet and alert rules are valid YAML and only use metrics we really write."""

from __future__ import annotations

import re

import yaml

from tests.conftest import FIXTURES, ROOT
from triage.pipeline import analyze
from triage.render.prometheus import render

FLEET = ROOT / "docs" / "fleet"


def _written_metrics() -> set[str]:
    text = render(analyze([str(FIXTURES / "seed-incompatible-config.log")]), labels={"cluster": "x"})
    return set(re.findall(r"^# TYPE (\w+) ", text, re.MULTILINE))


def test_daemonset_is_a_valid_daemonset() -> None:
    (doc,) = list(yaml.safe_load_all((FLEET / "daemonset.yaml").read_text()))
    assert doc["kind"] == "DaemonSet" and doc["apiVersion"] == "apps/v1"
    spec = doc["spec"]
    assert spec["selector"]["matchLabels"] == spec["template"]["metadata"]["labels"]
    commands = " ".join(" ".join(c["args"]) for c in spec["template"]["spec"]["containers"])
    assert "--follow -f jsonl" in commands and "-f prometheus" in commands
    mounts = {m["name"] for c in spec["template"]["spec"]["containers"] for m in c["volumeMounts"]}
    assert mounts <= {v["name"] for v in spec["template"]["spec"]["volumes"]}


def test_alert_rules_use_only_metrics_we_write() -> None:
    doc = yaml.safe_load((FLEET / "alerts.yaml").read_text())
    rules = [r for g in doc["groups"] for r in g["rules"]]
    assert rules and all({"alert", "expr"} <= set(r) for r in rules)
    used = {m for r in rules for m in re.findall(r"\bwarboy_triage_\w+", r["expr"])}
    assert used and used <= _written_metrics(), used - _written_metrics()
