"""Regenerate docs/tui-main.svg, the README's picture of the TUI, with Textual's own screenshot
support (App.save_screenshot): the seed log, its top finding selected, at 120x36.

    python docs/tui_screenshot.py
"""

from __future__ import annotations

import asyncio
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
SEED = "fixtures/seed-incompatible-config.log"  # relative, as a user would type it


async def main() -> None:
    from triage.kb import load
    from triage.pipeline import analyze
    from triage.tui.app import make_app

    os.chdir(ROOT)
    kb = load()
    app = make_app([SEED], report=analyze([SEED], kb), kb=kb)
    async with app.run_test(size=(120, 36)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        app.save_screenshot("tui-main.svg", path=str(ROOT / "docs"))
    print(ROOT / "docs" / "tui-main.svg")


if __name__ == "__main__":
    asyncio.run(main())
