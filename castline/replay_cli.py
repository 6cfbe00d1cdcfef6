"""`castline replay PROJECTION`: rebuild a read model from the log and switch reads to it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING

import click
from tqdm import tqdm

from config.settings import get_settings
from projections.registry import PROJECTIONS

if TYPE_CHECKING:
    from events.base import Message
    from projections.log_replay import LogReplay, ReplayOptions, Verification

TIME_FORMATS = ["%Y-%m-%dT%H:%M:%S.%f", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d"]
BY_NAME = {projection.name: projection for projection in PROJECTIONS}
CHAT_HISTORY = "chat_history"  # in Cassandra
ANALYTICS = "analytics"  # in ClickHouse


@click.command()
@click.argument("projection", type=click.Choice(sorted([*BY_NAME, CHAT_HISTORY, ANALYTICS])))
@click.option("--from", "since", type=click.DateTime(TIME_FORMATS),
              help="Build the new version from events at or after this UTC time only.")
@click.option("--restart", is_flag=True, help="Discard an unfinished replay, do not resume it.")
@click.option("--batch-size", default=5000, show_default=True, type=click.IntRange(1, 100_000))
@click.option("--stop-after", type=click.IntRange(1), metavar="N",
              help="Apply about N events, then stop as an interrupt would (resume later).")
@click.option("--no-switch", is_flag=True, help="Verify only; keep reading the live version.")
@click.option("--accept-difference", is_flag=True,
              help="Switch even when the new version differs (changed projection code).")
@click.option("--drop-retired", is_flag=True,
              help="Only drop the version an earlier switch retired.")
def replay(projection: str, since: datetime | None, restart: bool, batch_size: int,
           stop_after: int | None, no_switch: bool, accept_difference: bool,
           drop_retired: bool) -> None:
    """Rebuild PROJECTION beside the live one, verify it, and switch reads to it."""
    from events.codec import Codec
    from feeds.failures import TRANSIENT
    from projections.log_replay import ReplayError, ReplayOptions

    settings = get_settings()
    if drop_retired:
        _drop_retired(projection)
        return
    options = ReplayOptions(since.replace(tzinfo=UTC) if since else None, restart, batch_size,
                            stop_after, not no_switch, accept_difference)
    run = _replay_of(projection, Codec.from_settings(settings).decode, options)
    try:
        _run(run, projection, options)
    except ReplayError as error:
        raise click.ClickException(str(error)) from error
    except TRANSIENT as error:
        raise click.ClickException(f"a store or the broker failed ({error!r}); run again to "
                                   "resume where the replay stopped") from error
    except KeyboardInterrupt:
        click.echo("interrupted; run again to resume", err=True)
        raise SystemExit(130) from None
    finally:
        run.close()


def _run(run: LogReplay, projection: str, options: ReplayOptions) -> None:
    """Rebuild with a progress bar (events/s, ETA), then verify and maybe switch."""
    backlog = run.prepare()
    verb = "resuming" if backlog.resumed else "starting"
    click.echo(f"{verb} a replay of {projection}: {backlog.remaining} events to apply")
    with tqdm(total=backlog.remaining, unit="events", mininterval=0.5) as bar:
        if not run.rebuild(backlog, bar.update):
            bar.close()
            click.echo(f"stopped after {backlog.applied} events; run again to resume")
            return
        run.converge(bar.update)
    _report(projection, run.finish(), options)


def _replay_of(projection: str, decode: Callable[[bytes], Message],
               options: ReplayOptions) -> LogReplay:
    from analytics.replay import AnalyticsReplay
    from projections.chat_history_replay import ChatHistoryReplay
    from projections.replay import PostgresReplay

    if projection == CHAT_HISTORY:
        return ChatHistoryReplay(get_settings(), decode, options)
    if projection == ANALYTICS:
        return AnalyticsReplay(get_settings(), decode, options)
    return PostgresReplay(get_settings(), BY_NAME[projection], decode, options)


def _report(projection: str, verification: Verification, options: ReplayOptions) -> None:
    for live, replayed in zip(verification.live, verification.replayed, strict=True):
        same = "same" if live == replayed else "DIFFERENT"
        click.echo(f"{live.table}: live {live.rows} rows {live.checksum}, "
                   f"replayed {replayed.rows} rows {replayed.checksum}: {same}")
    if verification.switched:
        click.echo(f"switched: reads use the replayed {projection}; the old version is kept "
                   f"(castline replay {projection} --drop-retired)")
    elif not verification.matches and not options.accept_difference:
        raise click.ClickException(
            "the versions differ; nothing switched (--accept-difference switches anyway)")
    else:
        click.echo("verified; nothing switched (--no-switch)")


def _drop_retired(projection: str) -> None:
    from analytics import replay as analytics_replay
    from projections import chat_history_replay, replay

    settings = get_settings()
    drops = {CHAT_HISTORY: chat_history_replay.drop_retired,
             ANALYTICS: analytics_replay.drop_retired}
    drop = drops.get(projection)
    if (drop(settings) if drop is not None
            else replay.drop_retired(settings, BY_NAME[projection])):
        click.echo(f"dropped the retired version of {projection}")
    else:
        click.echo(f"no retired version of {projection} is kept")
