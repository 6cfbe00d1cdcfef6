"""`castline schemas check` passes the committed schemas and refuses breaking changes."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

from castline.processes import castline_command
from events.registry import SCHEMAS
from events.schema_check import check

SUBJECT = "castline.chat.ChatModerated"


def copied(tmp_path: Path) -> Path:
    root = tmp_path / "schemas"
    shutil.copytree(SCHEMAS, root)
    return root


def manifest(root: Path) -> dict[str, list[dict[str, object]]]:
    loaded: dict[str, list[dict[str, object]]] = json.loads((root / "manifest.json").read_text())
    return loaded


def test_the_committed_schemas_pass() -> None:
    assert check() == []
    result = subprocess.run(castline_command("schemas", "check"), capture_output=True,
                            text=True, timeout=60, check=False)
    assert result.returncode == 0, result.stderr


def test_a_field_added_without_a_default_is_refused(tmp_path: Path) -> None:
    root = copied(tmp_path)
    entries = manifest(root)
    latest = json.loads((root / "chat" / "ChatModerated.v2.avsc").read_text())
    latest["fields"].append({"name": "severity", "type": "long"})
    (root / "chat" / "ChatModerated.v3.avsc").write_text(json.dumps(latest))
    entries["schemas"].append({"id": 9999, "subject": SUBJECT, "version": 3,
                               "file": "chat/ChatModerated.v3.avsc"})
    (root / "manifest.json").write_text(json.dumps(entries))
    problems = check(root)
    assert any("v3 cannot read events written with v1" in p for p in problems), problems
    assert any("v3 cannot read events written with v2" in p for p in problems), problems


def test_a_changed_type_without_a_new_version_is_refused(tmp_path: Path) -> None:
    root = copied(tmp_path)
    entries = manifest(root)
    entries["schemas"] = [e for e in entries["schemas"]
                          if not (e["subject"] == SUBJECT and e["version"] == 2)]
    (root / "manifest.json").write_text(json.dumps(entries))
    assert check(root) == [f"ChatModerated no longer matches {SUBJECT} v1: write its next "
                           f"version with `python -m events.avro_schema --new-version {SUBJECT}`"]


RENAMED = "castline.views.ViewHeartbeat"  # v2 renamed `viewer` to `viewer_id`, with an alias
RENAMED_FILE = Path("views", "ViewHeartbeat.v2.avsc")


def renamed_field(root: Path) -> dict[str, Any]:
    fields: list[dict[str, Any]] = json.loads((root / RENAMED_FILE).read_text())["fields"]
    return next(f for f in fields if f["name"] == "viewer_id")


def test_a_field_renamed_with_an_alias_passes(tmp_path: Path) -> None:
    root = copied(tmp_path)
    assert renamed_field(root)["aliases"] == ["viewer"]
    assert check(root) == []


def test_the_same_rename_without_an_alias_is_refused(tmp_path: Path) -> None:
    root = copied(tmp_path)
    schema = json.loads((root / RENAMED_FILE).read_text())
    for field in schema["fields"]:
        field.pop("aliases", None)
    (root / RENAMED_FILE).write_text(json.dumps(schema))
    [problem] = check(root)
    assert problem.startswith(f"{RENAMED}: v2 cannot read events written with v1: "), problem
    assert "viewer_id" in problem
