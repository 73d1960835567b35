"""Every action a service records has a label in the audit log's filter."""

import re
from pathlib import Path

from accord.audit.models import ACTION_LABELS

SOURCE = Path(__file__).resolve().parents[2] / "src" / "accord"
# action="x.y" in a call, or an `action = "x.y"` assignment that feeds one.
ACTION = re.compile(r"""action(?:,\s*\w+)?\s*=\s*["']([a-z_]+\.[a-z_]+)["']""")


def test_every_recorded_action_has_a_label() -> None:
    used = {
        match
        for path in SOURCE.rglob("*.py")
        if "migrations" not in path.parts
        for match in ACTION.findall(path.read_text())
    }
    assert used, "the pattern found no actions: it is out of date"
    assert used - set(ACTION_LABELS) == set()
