"""The `castline` command."""

from __future__ import annotations

import logging
import sys
from pathlib import Path

import click

from castline.dead_letters_cli import dead_letters
from castline.events_cli import events
from castline.replay_cli import replay
from config.settings import get_settings
from infra.server import ServerStatus


class CastlineGroup(click.Group):
    """Known failures end with their message and exit code 1, not a traceback."""

    def invoke(self, ctx: click.Context) -> object:
        from castline.admin import UnknownUser
        from castline.seed import SeedError
        from events.catalog import TopicMismatch
        from infra.errors import StackError

        try:
            return super().invoke(ctx)
        except (StackError, SeedError, TopicMismatch, UnknownUser) as error:
            raise click.ClickException(str(error)) from error


@click.group(cls=CastlineGroup)
@click.option("-v", "--verbose", is_flag=True, help="Log at debug level.")
def main(verbose: bool) -> None:
    """Castline: run the local stack, workers, gateways, tools and benches."""
    logging.basicConfig(
        level=logging.DEBUG if verbose else logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s %(message)s",
    )


@main.group()
def stack() -> None:
    """The local servers: Kafka-protocol broker, PostgreSQL, Redis, ClickHouse, Cassandra, nginx."""


@stack.command("up")
def stack_up() -> None:
    """Install what is missing and start every server not given by address."""
    from infra.stack import up

    _print_statuses(up(get_settings()))


@stack.command("down")
def stack_down() -> None:
    """Stop the servers this project started (data is kept)."""
    from infra.stack import down

    down(get_settings())
    click.echo("stack stopped")


@stack.command("status")
def stack_status() -> None:
    from infra.stack import status

    _print_statuses(status(get_settings()))


def _print_statuses(statuses: list[ServerStatus]) -> None:
    for s in statuses:
        click.echo(f"{s.name:<12} {s.state:<9} {s.address}")


@main.group()
def topics() -> None:
    """Kafka topics from the catalog."""


@topics.command("ensure")
def topics_ensure() -> None:
    """Create missing topics with their partitions and retention (idempotent)."""
    from events.catalog import ensure_topics

    created = ensure_topics(get_settings().kafka)
    click.echo(f"created: {', '.join(created) or 'none (all present)'}")


@main.command()
def migrate() -> None:
    """Apply pending PostgreSQL and Cassandra migrations (tracked, idempotent), then ClickHouse's
    analytics tables and views."""
    from castline.platform import migrate_analytics, migrate_history
    from projections.migrate import migrate_postgres

    settings = get_settings()
    applied = migrate_postgres(settings.postgres) + migrate_history(settings)
    migrate_analytics(settings)
    click.echo(f"applied: {', '.join(applied) or 'none (up to date)'}")


@main.command()
@click.option("--loglevel", default="info", type=click.Choice(["debug", "info", "warn", "error"]))
@click.option("--role", default="all", show_default=True,
              type=click.Choice(["all", "deciders", "projectors"]),
              help="Run the deciders, the projectors, or both in this process.")
def worker(loglevel: str, role: str) -> None:
    """Run the worker: deciders and projectors (Ctrl-C stops it)."""
    from events.codec import Codec
    from processors.worker import run_worker

    settings = get_settings()
    run_worker(settings, Codec.from_settings(settings), loglevel, role)


@main.command()
@click.option("--host", default=None, help="Bind address (default from settings).")
@click.option("--port", default=None, type=int, help="Port (default from settings).")
def gateway(host: str | None, port: int | None) -> None:
    """Run the HTTP gateway on uvicorn."""
    import uvicorn

    from gateways.app import create_app
    from gateways.chat_ws import MAX_FRAME_UTF8_BYTES
    from gateways.one_send import OneSendHttpProtocol, OneSendWebSocketProtocol
    from gateways.request_ids import configure_logging
    from gateways.server import GatewayServer

    settings = get_settings()
    configure_logging()
    app = create_app(settings)
    config = uvicorn.Config(
        app, host=host or settings.gateway_host,
        port=port or settings.gateway_port, log_config=None, access_log=True,
        http=OneSendHttpProtocol, ws=OneSendWebSocketProtocol,
        # Chat frames are small and every socket would compress each one again in a context
        # of its own: measured, compression was a fifth of the gateway's CPU under fan-out.
        ws_per_message_deflate=False,
        # A larger frame closes its socket (1009) before it is buffered whole.
        ws_max_size=MAX_FRAME_UTF8_BYTES,
        # Keeps every chat socket busy enough for a load balancer's idle timeout.
        ws_ping_interval=settings.gateway_ws_ping_interval_s,
    )
    GatewayServer(config, app).run()


@main.command()
def run() -> None:
    """Everything, in the foreground: stack, migrations, topics, worker, gateways (behind a load
    balancer when CASTLINE_GATEWAYS > 1), demo data."""
    from castline.platform import run_platform

    sys.exit(run_platform(get_settings()))


@main.group()
def users() -> None:
    """Operator actions on accounts."""


@users.command("grant-admin")
@click.argument("username")
def grant_admin_command(username: str) -> None:
    """Make USERNAME a platform admin."""
    from castline.admin import grant_admin

    position = grant_admin(get_settings(), username)
    click.echo(f"{username.lower()} is an admin (event at {position.token})")


@main.group()
def schemas() -> None:
    """The Avro schemas of every event and command."""


@schemas.command("check")
def schemas_check() -> None:
    """Refuse schemas that could not read an older version, or that a type no longer matches."""
    from events.schema_check import check

    problems = check()
    for problem in problems:
        click.echo(problem, err=True)
    if problems:
        raise SystemExit(1)
    click.echo("schemas: every version readable by the latest; every type matches its schema")


@main.group()
def bench() -> None:
    """Benchmarks against the local stack (loopback, bounded)."""


@bench.command("pipeline")
@click.option("--events", "count", default=200_000, show_default=True)
def bench_pipeline(count: int) -> None:
    """Produce -> projected-and-checkpointed in PostgreSQL, against a raw Kafka baseline, and
    whether every row is right; exits 1 on a FAIL."""
    from bench.pipeline import run_pipeline_bench
    from castline.platform import local_stack

    with local_stack(get_settings()) as settings:
        if not run_pipeline_bench(settings, count):
            raise SystemExit(1)


@bench.command("scale")
@click.option("--events", "count", default=100_000, show_default=True)
def bench_scale(count: int) -> None:
    """One projection applied by one worker process, then by two sharing its partitions, and
    the survivor's takeover after a SIGKILL; exits 1 on a FAIL."""
    from bench.scale import run_scale_bench
    from castline.platform import local_stack

    with local_stack(get_settings()) as settings:
        if not run_scale_bench(settings, count):
            raise SystemExit(1)


@bench.command("recovery")
@click.option("--rounds", default=3, show_default=True, help="Kills (and clean restarts).")
def bench_recovery(rounds: int) -> None:
    """Each decider's recovery after a SIGKILLed worker, against a clean restart; exits 1 on
    a FAIL."""
    from bench.recovery import run_recovery_bench
    from castline.platform import local_stack

    with local_stack(get_settings()) as settings:
        if not run_recovery_bench(settings, rounds):
            raise SystemExit(1)


@bench.command("streaming")
@click.option("--clients", default=50, show_default=True, help="Concurrent players.")
@click.option("--seconds", default=10.0, show_default=True, help="Heartbeat run length.")
@click.option("--keyframe-s", default=2, show_default=True, help="Publisher keyframe interval.")
@click.option("--publishes", default=3, show_default=True, help="Publishes timed, for medians.")
@click.option("--addresses", default=100, show_default=True,
              help="Addresses of the players, each with as many as one may have counted.")
def bench_streaming(clients: int, seconds: float, keyframe_s: int, publishes: int,
                    addresses: int) -> None:
    """Publish -> live and -> playable, and heartbeats/s through the gateway against its
    liveness answer, each with PASS/FAIL; exits 1 on a FAIL."""
    from bench.streaming import Load, run_streaming_bench
    from castline.platform import local_stack

    with local_stack(get_settings()) as settings:
        if not run_streaming_bench(settings, Load(clients, seconds, addresses), publishes,
                                   keyframe_s):
            raise SystemExit(1)


@bench.command("replay")
@click.option("--events", "count", default=100_000, show_default=True)
def bench_replay(count: int) -> None:
    """Replay events/s into PostgreSQL, Cassandra and ClickHouse, against a raw consume of the
    same topic, and whether every event is in the store; exits 1 on a FAIL."""
    from bench.replay import run_replay_bench
    from castline.platform import local_stack

    with local_stack(get_settings()) as settings:
        if not run_replay_bench(settings, count):
            raise SystemExit(1)


@bench.command("analytics")
@click.option("--events", "count", default=200_000, show_default=True)
@click.option("--rounds", default=5, show_default=True, help="Turns of raw, then sink.")
def bench_analytics(count: int, rounds: int) -> None:
    """ClickHouse sink rows/s, against raw clickhouse-driver inserts of the same rows, and
    whether every row is stored; exits 1 on a FAIL."""
    from bench.analytics import run_analytics_bench
    from castline.platform import local_stack

    with local_stack(get_settings()) as settings:
        if not run_analytics_bench(settings, count, rounds):
            raise SystemExit(1)


@bench.command("chat")
@click.option("--sockets", default=2000, show_default=True, help="Reading WebSockets.")
@click.option("--channels", default=100, show_default=True)
@click.option("--rate", default=1000.0, show_default=True, help="Messages/s over all channels.")
@click.option("--seconds", default=20.0, show_default=True)
@click.option("--gateways", default=2, show_default=True, help="Gateway processes.")
@click.option("--protocol", type=click.Choice(["json", "irc"]), default="json",
              show_default=True,
              help="irc: measure again with the readers on IRC over TCP, in the same run.")
def bench_chat(sockets: int, channels: int, rate: float, seconds: float, gateways: int,
               protocol: str) -> None:
    """Chat msgs/s sustained, post -> deliver p50/p99, completeness and CPU per process, with
    PASS/FAIL per target, against bare Redis pub/sub + websockets. Exits 1 when a message was
    lost, repeated or reordered."""
    from bench.chat import run_chat_bench
    from castline.platform import local_stack

    with local_stack(get_settings()) as settings:
        if not run_chat_bench(settings, sockets, channels, rate, seconds, gateways, protocol):
            raise SystemExit(1)


@bench.command("idle")
@click.option("--seconds", default=60.0, show_default=True, help="Measuring window.")
@click.option("--settle", "settle_s", default=15.0, show_default=True,
              help="Wait after the feeds have caught up, before measuring.")
def bench_idle(seconds: float, settle_s: float) -> None:
    """CPU of an idle platform (`castline run`'s demo data, no traffic) per process: Castline's
    processes and the broker against a budget of 10 % of one core; exit 1 over it."""
    from bench.idle import run_idle_bench
    from castline.platform import local_stack

    with local_stack(get_settings()) as settings:
        if not run_idle_bench(settings, seconds, settle_s):
            raise SystemExit(1)


@bench.command("recommendations")
@click.option("--seed", "seeds", multiple=True, type=int, default=(1, 2, 3), show_default=True)
@click.option("--size", "sizes", multiple=True, default=("5000x1000", "20000x2000"),
              show_default=True, help="VIEWERSxCHANNELS of a synthetic world, run for each seed.")
def bench_recommendations(seeds: tuple[int, ...], sizes: tuple[str, ...]) -> None:
    """Hit-rate@10 of the recommendation model against most-popular, and its compute time
    (synthetic histories, no servers); exits 1 on a FAIL."""
    from bench.recommendations import run_recommendations_bench
    from recommendations.synthetic import WorldShape

    shapes = []
    for size in sizes:
        viewers, _, channels = size.partition("x")
        if not (viewers.isdigit() and channels.isdigit()):
            raise click.BadParameter(f"{size!r} is not VIEWERSxCHANNELS", param_hint="--size")
        shapes += [WorldShape(int(viewers), int(channels), seed=seed) for seed in seeds]
    if not run_recommendations_bench(shapes):
        raise SystemExit(1)


@bench.command("search")
@click.option("--channels", "count", default=100_000, show_default=True)
@click.option("--queries", "per_kind", default=300, show_default=True,
              help="Queries of each kind: name prefixes, names with a typo, title words.")
def bench_search(count: int, per_kind: int) -> None:
    """Channel search p50/p99 through its SQL and through HTTP, over a scratch database;
    exits 1 on a FAIL."""
    from bench.search import run_search_bench
    from castline.platform import local_stack

    with local_stack(get_settings()) as settings:
        if not run_search_bench(settings, count, per_kind):
            raise SystemExit(1)


@main.group()
def docs() -> None:
    """The documentation in docs/."""


@docs.command("build")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Where the rendered pages and SVG files go (default build/docs).")
def docs_build_command(out: Path | None) -> None:
    """Render every Mermaid diagram of docs/*.md to SVG with mermaid-cli."""
    from castline.docs_build import OUT, DiagramError, build

    try:
        svgs = build(out or OUT)
    except DiagramError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"{len(svgs)} diagrams rendered into {out or OUT}")


@docs.command("api")
def docs_api_command() -> None:
    """Rewrite docs/api.md's endpoint table from the gateway's OpenAPI document."""
    from castline.api_docs import API_DOC, write_table

    changed = write_table()
    click.echo(f"{API_DOC.name}: {'rewritten' if changed else 'already current'}")


main.add_command(replay)
main.add_command(events)
main.add_command(dead_letters)

if __name__ == "__main__":
    main()
