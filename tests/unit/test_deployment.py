"""The deployment's files agree with the Compose Specification and with the code: no Docker.

infra/deploy/compose.yaml is checked against the specification's JSON schema (vendored beside
it, see compose-spec.NOTICE.md); its CASTLINE_* variables, and those docs/deployment.md names,
must be settings; the topics the document lists must be the catalog's, with its partitions.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import click
import pytest
import yaml
from jsonschema import Draft201909Validator

from castline.cli import worker
from config.ladder import parse_ladder
from config.settings import Settings
from events.catalog import TOPICS
from infra.transcode import (
    copy_script,
    hls_variants,
    input_script,
    ladder_script,
    thumbnail_script,
)

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "infra" / "deploy"
COMPOSE = DEPLOY / "compose.yaml"
DOC = ROOT / "docs" / "deployment.md"
SETTING = re.compile(r"\bCASTLINE_[A-Z0-9_]*[A-Z0-9]")
TOPIC_ROW = re.compile(r"^\| `([a-z][a-z-]*)` \| (\d+) \|", re.MULTILINE)
RTMP_PORT = 1935  # the ingest container's


def compose() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load(COMPOSE.read_text())
    return loaded


def setting_names() -> set[str]:
    return {f"CASTLINE_{name.upper()}" for name in Settings.model_fields}


def topics_section() -> str:
    """The document's "## Topics" section, up to the next heading of its level."""
    text = DOC.read_text()
    start = text.index("\n## Topics")
    end = text.find("\n## ", start + 1)
    return text[start:] if end < 0 else text[start:end]


def test_the_vendored_schema_is_a_valid_2019_09_schema() -> None:
    schema = json.loads((DEPLOY / "compose-spec.json").read_text())
    Draft201909Validator.check_schema(schema)
    assert "services" in schema["properties"]


def test_compose_file_follows_the_compose_specification() -> None:
    schema = json.loads((DEPLOY / "compose-spec.json").read_text())
    errors = [f"{'/'.join(map(str, e.absolute_path))}: {e.message}"
              for e in Draft201909Validator(schema).iter_errors(compose())]
    assert errors == []


def test_the_schema_refuses_what_compose_would() -> None:
    schema = json.loads((DEPLOY / "compose-spec.json").read_text())
    wrong = {"services": {"gateway": {"image": "castline", "replicas": 2}}}
    assert not Draft201909Validator(schema).is_valid(wrong)


@pytest.mark.parametrize("path", [COMPOSE, DOC], ids=["compose", "doc"])
def test_every_castline_variable_is_a_setting(path: Path) -> None:
    named = set(SETTING.findall(path.read_text()))
    assert named, f"{path.name} names no CASTLINE_ setting"
    assert named - setting_names() == set()


def test_castline_processes_point_at_real_clusters() -> None:
    services = compose()["services"]
    for name in ("migrate", "gateway", "worker-deciders", "worker-projectors"):
        env = services[name]["environment"]
        for key in ("CASTLINE_KAFKA_BOOTSTRAP", "CASTLINE_POSTGRES_DSN", "CASTLINE_REDIS_URL",
                    "CASTLINE_CLICKHOUSE_URL", "CASTLINE_CASSANDRA_HOSTS",
                    "CASTLINE_SCHEMA_REGISTRY_URL"):
            assert env.get(key), f"{name} has no {key}: it would start a local server"


def test_the_documented_topics_are_the_catalog_with_its_partitions() -> None:
    documented = {name: int(count) for name, count in TOPIC_ROW.findall(topics_section())}
    assert documented == {spec.name: spec.partitions for spec in TOPICS}


def test_workers_run_roles_the_command_knows() -> None:
    role = next(p for p in worker.params if p.name == "role")
    assert isinstance(role.type, click.Choice)
    services = compose()["services"]
    roles = {services[name]["command"][2] for name in ("worker-deciders", "worker-projectors")}
    assert roles == {"deciders", "projectors"}
    assert roles <= set(role.type.choices)


def test_the_ingest_server_transcodes_the_default_ladder() -> None:
    ladder = parse_ladder(str(Settings.model_fields["transcode_ladder"].default))
    template = (DEPLOY / "ingest" / "nginx.conf.template").read_text()
    assert hls_variants(ladder) in template
    thumbnails = thumbnail_script(RTMP_PORT, "/var/lib/castline/thumbnails",
                                  int(str(Settings.model_fields["thumbnail_every_s"].default)))
    recordings = "/var/lib/castline/recordings"  # the ingest container's, as in its template
    assert f"record_path {recordings}/recording;" in template
    chooser = "/etc/nginx/castline/input.sh"  # where compose.yaml mounts it
    assert f"./ingest/input.sh:{chooser}:ro" in (DEPLOY / "compose.yaml").read_text()
    for script, expected in (("input.sh", input_script(RTMP_PORT, recordings)),
                             ("copy.sh", copy_script(RTMP_PORT, chooser)),
                             ("ladder.sh", ladder_script(RTMP_PORT, chooser, ladder)),
                             ("thumbnail.sh", thumbnails)):
        written = (DEPLOY / "ingest" / script).read_text().splitlines()
        assert [line for line in written if not line.startswith("# ")] == (
            expected.splitlines())
