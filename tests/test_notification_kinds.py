"""Every notification the product sends says what kind it is, so that each person's choice for that
kind (at once, daily digest, in the app only) can be honoured. `notify` defaults to "Other notices"
only so that a call written before a kind existed keeps working; this test names any such call, to
be given its kind."""

import ast
from pathlib import Path

from tests.test_structure import LAYERS, ROOT, _python_files


def _notify_calls_without_a_kind() -> list[str]:
    found = []
    for app in LAYERS:
        for path in _python_files(app):
            for node in ast.walk(ast.parse(path.read_text())):
                if not isinstance(node, ast.Call):
                    continue
                name = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", "")
                if name == "notify" and "kind" not in {keyword.arg for keyword in node.keywords}:
                    found.append(f"{Path(path).relative_to(ROOT)}:{node.lineno}")
    return found


def test_every_notification_names_its_kind():
    assert _notify_calls_without_a_kind() == [], (
        "Give each of these notify() calls its kind= (portfolio/notification_kinds.py; add a kind, "
        "with its default and audience in portfolio/notification_preferences.py, if none fits)"
    )
