"""`castline dead-letters`: list the records feeds parked, and put them back onto their topics."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime

import click

from config.settings import get_settings

TIME = click.DateTime(["%Y-%m-%dT%H:%M:%S", "%Y-%m-%d"])
ERROR_WIDTH = 100  # of the error column in a listing; --json prints it whole


@click.group("dead-letters")
def dead_letters() -> None:
    """List and retry the records that feeds could not apply and parked."""


@dead_letters.command("list")
@click.option("--topic", help="Only records parked from this topic.")
@click.option("--reason", help="Only this reason (e.g. bad_magic_byte, unprocessable).")
@click.option("--feed", "parked_by", help="Only records this feed parked (e.g. channels).")
@click.option("--since", type=TIME, help="Only records parked at or after this UTC time.")
@click.option("--limit", default=50, show_default=True, type=click.IntRange(min=1),
              help="Print at most this many, the latest parked.")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per line.")
def dead_letters_list(topic: str | None, reason: str | None, parked_by: str | None,
                      since: datetime | None, limit: int, as_json: bool) -> None:
    """Print parked records, oldest first: where each came from, why, and when."""
    from events.dead_letter_log import Filter, read_parked

    wanted = Filter(topic, reason, since.replace(tzinfo=UTC) if since else None, parked_by)
    with _one_line_errors():
        matching = [p for p in read_parked(get_settings().kafka) if wanted.accepts(p)]
    for parked in matching[-limit:]:
        at = parked.parked_at.isoformat(timespec="seconds") if parked.parked_at else "-"
        if as_json:
            click.echo(json.dumps({
                "position": parked.original.token, "reason": parked.reason,
                "error": parked.error, "parked_by": parked.parked_by, "parked_at": at}))
        else:
            click.echo(f"{at}  {parked.original.token}  {parked.reason}  "
                       f"{parked.parked_by or '-'}  {parked.error[:ERROR_WIDTH]}")
    if len(matching) > limit:
        click.echo(f"({len(matching) - limit} earlier not shown; see --limit)", err=True)


@dead_letters.command("retry")
@click.argument("positions", nargs=-1, metavar="[TOPIC/PARTITION/OFFSET]...")
@click.option("--all", "retry_all", is_flag=True,
              help="Retry every parked record that --topic, --reason and --feed select.")
@click.option("--topic", help="With --all: only records parked from this topic.")
@click.option("--reason", help="With --all: only this reason.")
@click.option("--feed", "parked_by", help="With --all: only records this feed parked.")
def dead_letters_retry(positions: tuple[str, ...], retry_all: bool, topic: str | None,
                       reason: str | None, parked_by: str | None) -> None:
    """Put parked records back onto their original topic and partition, as they were (key,
    value, headers), for their feeds to apply again at a new offset."""
    from events.dead_letter_log import Filter, find, read_parked, retry
    from events.positions import InvalidPosition, Position

    if bool(positions) == retry_all:
        raise click.UsageError("give the positions to retry, or --all (with filters)")
    if (topic or reason or parked_by) and not retry_all:
        raise click.UsageError("--topic, --reason and --feed select records only with --all")
    try:
        wanted = [Position.parse(p) for p in dict.fromkeys(positions)]
    except InvalidPosition as error:
        raise click.BadParameter(str(error), param_hint="POSITIONS") from error
    settings = get_settings()
    with _one_line_errors():
        parked = read_parked(settings.kafka)
        chosen = (find(parked, wanted) if wanted else
                  [p for p in parked if Filter(topic, reason, None, parked_by).accepts(p)])
        landed = retry(settings.kafka, chosen)
    for record, position in zip(chosen, landed, strict=True):
        click.echo(f"{record.original.token} -> {position.token}")
    click.echo(f"retried: {len(landed)}", err=True)


@contextmanager
def _one_line_errors() -> Iterator[None]:
    """Known failures end with a one-line message and exit code 1, not a traceback."""
    from confluent_kafka import KafkaException

    from events.dead_letter_log import NotParked
    from events.producer import DeliveryFailed
    from events.tail import UnknownTopic

    try:
        yield
    except (NotParked, UnknownTopic, DeliveryFailed) as error:
        raise click.ClickException(" ".join(str(error).split())) from error
    except KafkaException as error:
        raise click.ClickException(f"kafka: {' '.join(str(error).split())}") from error
