"""`castline events`: read the event log (tail), archive topics (export), replay them (import)."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

import click

from config.settings import get_settings

TIME = click.DateTime(["%Y-%m-%dT%H:%M:%S", "%Y-%m-%d"])


@click.group()
def events() -> None:
    """Read, export and import the event log."""


@events.command("tail")
@click.argument("topic")
@click.option("--from-beginning", is_flag=True, help="Start at the oldest event kept.")
@click.option("--from", "since", type=TIME,
              help="Start at the first event at or after this UTC time.")
@click.option("--follow", is_flag=True, help="Keep printing new events until interrupted.")
@click.option("--key", help="Only events with this key (a channel name, a user id, ...).")
def events_tail(topic: str, from_beginning: bool, since: datetime | None, follow: bool,
                key: str | None) -> None:
    """Print a topic's events, decoded, as JSON lines."""
    from events.codec import Codec
    from events.tail import TailRequest, UnknownTopic, tail

    settings = get_settings()
    start = "time" if since else "beginning" if from_beginning else "end"
    request = TailRequest(topic, start, since.replace(tzinfo=UTC) if since else None, follow,
                          key)
    try:
        tail(settings.kafka, Codec.from_settings(settings).decode, request)
    except UnknownTopic as error:
        raise click.ClickException(str(error)) from error
    except KeyboardInterrupt:
        return


@events.command("export")
@click.argument("topics", nargs=-1, required=True)
@click.option("--out", required=True, type=click.Path(path_type=Path),
              help="The archive's directory (created if missing).")
@click.option("--from", "since", type=TIME,
              help="Start at the first event at or after this UTC time.")
@click.option("--to", "until", type=TIME, help="Stop before the first event at or after this "
              "UTC time (default: the ends the topics had when the export started).")
def events_export(topics: tuple[str, ...], out: Path, since: datetime | None,
                  until: datetime | None) -> None:
    """Archive TOPICS as Avro container files: one per topic and writer schema."""
    from events.archive import ExportRequest, export
    from events.archive_format import versions_by_identity
    from events.registry import load_manifest
    from events.registry_choice import registry_from_settings

    settings = get_settings()
    request = ExportRequest(tuple(dict.fromkeys(topics)), out, _utc(since), _utc(until))
    with _one_line_errors():
        if request.since and request.until and request.since >= request.until:
            raise click.ClickException("--from must be before --to")
        registry = registry_from_settings(settings)
        summaries = export(settings.kafka, registry.writer_schema,
                           versions_by_identity(load_manifest()), request, sys.stderr)
    for summary in summaries:
        click.echo(summary.line())


@events.command("import")
@click.argument("root", metavar="DIR", type=click.Path(path_type=Path))
@click.option("--topic-map", multiple=True, metavar="OLD=NEW",
              help="Import the archive's topic OLD into topic NEW (repeatable).")
@click.option("--append", is_flag=True, help="Import even into topics that hold events.")
def events_import(root: Path, topic_map: tuple[str, ...], append: bool) -> None:
    """Replay an archive made by `events export` into its topics, partition for partition."""
    from events.archive_format import parse_topic_map
    from events.archive_import import ImportRequest, import_archive
    from events.archive_schemas import SchemaIds
    from events.codec import Codec

    settings = get_settings()
    with _one_line_errors():
        request = ImportRequest(root, parse_topic_map(topic_map), append)
        codec = Codec.from_settings(settings)
        plans = import_archive(settings.kafka, SchemaIds(codec.registry, codec.decode), request,
                               sys.stderr)
    for plan in plans:
        click.echo(plan.line())


def _utc(moment: datetime | None) -> datetime | None:
    return moment.replace(tzinfo=UTC) if moment else None


@contextmanager
def _one_line_errors() -> Iterator[None]:
    """Known failures end with a one-line message and exit code 1, not a traceback."""
    from confluent_kafka import KafkaException

    from events.archive_format import ArchiveError
    from events.confluent_registry import RegistryError
    from events.errors import SchemaMismatch
    from events.tail import UnknownTopic

    try:
        yield
    except (ArchiveError, UnknownTopic, SchemaMismatch, RegistryError) as error:
        raise click.ClickException(" ".join(str(error).split())) from error
    except KafkaException as error:
        raise click.ClickException(f"kafka: {' '.join(str(error).split())}") from error
