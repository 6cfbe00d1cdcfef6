"""Settings: every server address and port comes from here (env prefix CASTLINE_)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parent.parent


class Settings(BaseSettings):
    """An address left unset means "run that server locally"; a set one is used as given."""

    model_config = SettingsConfigDict(env_prefix="CASTLINE_", frozen=True)

    state_dir: Path = PROJECT_ROOT / ".castline"

    kafka_bootstrap: str | None = None
    postgres_dsn: str | None = None
    # A streaming replica of it for reads that may lag (channel, user and category pages, the
    # directory, search, follows, recommendations); unset, they go to the primary. A read that
    # waits for its own write polls the same replica's checkpoints, so it still sees that write.
    postgres_replica_dsn: str | None = None
    redis_url: str | None = None
    clickhouse_url: str | None = None
    schema_registry_url: str | None = None

    kafka_port: int = 19092
    # An idle reader rests with its partitions paused until a producer wakes it (through
    # Redis) or a watch sees its partitions grow: for a broker that answers an empty fetch at
    # once (the local one). Off for a broker that holds it (Apache Kafka's long poll).
    kafka_rest_while_idle: bool = True
    # The longest such rest: the most a record from a producer that says nothing (a tool) and
    # that the watch missed waits for an idle reader.
    kafka_longest_rest_s: float = 30.0
    postgres_port: int = 15432
    postgres_replica_port: int = 15433  # a local streaming replica, when one is started
    redis_port: int = 16379
    clickhouse_port: int = 19000
    clickhouse_http_port: int = 18123
    clickhouse_interserver_port: int = 19009

    # Cassandra (chat history). Tested against 1.2 locally; a modern cluster takes protocol 4
    # or 5, LOCAL_QUORUM and NetworkTopologyStrategy through these settings.
    cassandra_hosts: str | None = None
    cassandra_port: int = 19142
    cassandra_rpc_port: int = 19171
    cassandra_storage_port: int = 17010
    cassandra_ssl_storage_port: int = 17011
    cassandra_keyspace: str = "castline"
    cassandra_protocol_version: int = 1
    cassandra_consistency: str = "ONE"
    cassandra_replication: str = "{'class': 'SimpleStrategy', 'replication_factor': 1}"

    rtmp_url: str | None = None  # where OBS publishes; set means "nginx-rtmp runs elsewhere"
    hls_base_url: str | None = None  # where players fetch HLS
    # Where live thumbnails are fetched, {channel}-{width}x{height}.jpg under it (default: the
    # local HLS server's /thumbnails); a new still is cut every thumbnail_every_s seconds.
    thumbnail_base_url: str | None = None
    thumbnail_every_s: int = Field(default=15, ge=1, le=300)
    rtmp_port: int = 11935
    hls_http_port: int = 18088
    ingest_url: str | None = None  # where nginx-rtmp calls back; default: the gateway
    ingest_allowed_hosts: str = "127.0.0.1,::1"  # who may call the ingest callbacks
    # In nginx-rtmp's callback URLs; unset, one is made and kept in the state dir.
    ingest_secret: str | None = None
    transcode_ladder: str = "360p:640x360:800k,160p:284x160:250k"
    hls_fragment_s: int = 1
    stream_heartbeat_s: int = 10
    stream_reconcile_s: float = 15.0  # how often live sessions are checked against nginx-rtmp
    viewer_window_s: int = 60  # a viewer counts this long after their last heartbeat
    viewer_sweep_s: float = 5.0  # how often counts are copied to the channels read model
    # Players: a heartbeat carries a token the gateway signed for one channel and address.
    # Unset, the signing secret is made once and kept in the state dir.
    player_secret: str | None = None
    player_token_ttl_s: int = 12 * 3600
    player_tokens_per_address: int = 60  # tokens one address (or one user) gets per window
    player_token_window_s: int = 3600
    anonymous_viewers_per_address: int = 10  # counted at once per channel from one address

    chat_messages_per_30s: int = 20  # per viewer, per channel
    chat_messages_per_30s_privileged: int = 100  # the broadcaster's and moderators'

    gateway_host: str = "127.0.0.1"
    gateway_port: int = 8080
    # Gateway processes `castline run` starts. More than one: a load balancer (nginx) takes
    # gateway_port on 127.0.0.1 and the gateways take the ports from
    # gateway_first_upstream_port (unset: gateway_port + 1) on, on 127.0.0.1.
    gateways: int = Field(default=1, ge=1)
    gateway_first_upstream_port: int | None = None
    # How often a gateway pings each WebSocket; the balancer closes one idle for far longer.
    gateway_ws_ping_interval_s: float = Field(default=20.0, gt=0)
    # HTTP requests one gateway process serves at once; past it, 503 (WebSockets not counted).
    gateway_max_requests: int = 256

    # Chat over IRC in Twitch's dialect (gateways.irc): a TCP port every gateway process shares
    # (SO_REUSEPORT), on gateway_host; 0 turns the TCP listener off. Over WebSocket it is the
    # gateway's own port, path "/" or "/irc". A connection silent for irc_ping_interval_s is
    # pinged, and closed when it stays silent as long again.
    irc_port: int = 6667
    irc_ping_interval_s: float = Field(default=240.0, gt=0)
    # IRC over TLS on its own port (Twitch's is 6697), off while 0; the certificate chain and its
    # key as PEM files. Behind a TLS load balancer, leave it off and forward to irc_port.
    irc_tls_port: int = 0
    irc_tls_cert_file: Path | None = None
    irc_tls_key_file: Path | None = None

    object_store_dir: Path | None = None
    media_base_url: str = "/media"

    # VODs: nginx-rtmp records every live session into recordings_dir (on its own machine,
    # where the worker that stores VODs runs too); once the session has ended it is stored as
    # HLS under "vods/{video id}/" in the object store: object_store_dir, or with vod_store
    # "s3" the bucket s3_bucket at s3_endpoint_url. Players fetch VODs under vod_base_url
    # (default: the local HLS server's /vods, or the bucket's path-style URL).
    recordings_dir: Path | None = None
    vod_store: Literal["local", "s3"] = "local"
    vod_base_url: str | None = None
    # Unset: the stack's local S3-API server on s3_port, which takes any keys. Keys unset
    # with an endpoint set: boto3's own chain (environment, profile, instance role).
    s3_endpoint_url: str | None = None
    s3_port: int = 19900
    s3_bucket: str = "castline"
    s3_region: str = "us-east-1"
    s3_access_key_id: str | None = None
    s3_secret_access_key: str | None = None
    vod_segment_s: int = Field(default=4, ge=1, le=10)
    vod_record_every_s: float = Field(default=2.0, gt=0)
    clip_cut_every_s: float = Field(default=1.0, gt=0)  # how often pending clips are cut
    # After a session ends, how long its recording waits for every rendition's file.
    vod_wait_s: float = Field(default=30.0, ge=0)
    vod_retention_days: int = Field(default=0, ge=0)  # 0 keeps them until deleted

    login_failures_per_account: int = 5
    login_failures_per_address: int = 20
    login_failure_window_s: int = 15 * 60
    registrations_per_address: int = 10
    registration_window_s: int = 3600
    # Helix (gateways.helix): the requests an app may make per minute, per user it acts for.
    helix_points_per_minute: int = 800
    # EventSub (gateways.eventsub): a WebSocket session's keepalive, how long a new session may
    # go without a subscription, and webhooks: their deliveries' tries and first backoff, and
    # whether a callback may be plain http on loopback (local deployments and tests only).
    eventsub_keepalive_s: int = Field(default=10, ge=10, le=600)
    eventsub_unused_session_s: float = Field(default=10.0, gt=0)
    eventsub_webhook_attempts: int = Field(default=5, ge=1)
    eventsub_webhook_backoff_s: float = Field(default=1.0, gt=0)
    eventsub_webhook_timeout_s: float = Field(default=10.0, gt=0)
    eventsub_loopback_http: bool = False

    # Monetization. Amounts are whole minor units (cents) of the currency named with them.
    payment_provider: str = "sandbox"  # the name of a provider in payments.providers.PROVIDERS
    sandbox_fee_bps: int = 290  # what the sandbox processor keeps: 2.9 % ...
    sandbox_fee_fixed_minor: int = 30  # ... plus 30 cents a charge
    payment_charge_attempts: int = 3  # tries of a charge that fails transiently, same key
    bits_currency: str = "USD"
    bits_packs: dict[int, int] = {  # bits -> price
        100: 140, 500: 700, 1500: 1995, 5000: 6440, 10000: 12600, 25000: 30800}
    bit_value_minor: int = 1  # what a cheered bit is worth to the channel and the platform
    bits_creator_share_bps: int = 10_000  # the channel's part of a cheered bit's worth
    cheer_max_bits: int = 100_000  # in one chat message
    donation_limits: dict[str, tuple[int, int]] = {  # currency -> (minimum, maximum)
        "USD": (100, 1_000_000), "EUR": (100, 1_000_000), "GBP": (100, 1_000_000)}
    donation_platform_fee_bps: int = 500  # the platform's part of a donation
    subscription_currency: str = "USD"
    subscription_prices: dict[int, int] = {1000: 499, 2000: 999, 3000: 2499}  # tier -> price
    subscription_creator_share_bps: dict[int, int] = {  # tier -> the channel's part of a price
        1000: 5000, 2000: 5000, 3000: 5000}
    subscription_tick_s: float = 60.0  # how often the scheduler looks for ended periods
    # Tests only: the scheduler reads each channel's time from Redis, where a test sets it.
    subscription_test_clock: bool = False
    # Ads: what 1000 impressions earn, the channel's part, who sees none, and the pace.
    ad_cpm_minor: int = 250  # revenue per 1000 impressions, minor units of ad_currency
    ad_currency: str = "USD"
    ad_creator_share_bps: int = 5500  # the channel's part of ad revenue
    ad_free_tiers: frozenset[int] = frozenset({1000, 2000, 3000})  # subscribers see no ads
    ad_cooldown_s: int = 480  # after a break ends, before the broadcaster may start another
    ad_impression_grace_s: int = 60  # impressions still count this long after a break's end
    ad_tick_s: float = 30.0  # how often the ad scheduler nudges live channels
    # Raids: how long a raid counts down before it goes (Twitch: 90 s), and how often the
    # scheduler nudges the channels whose raid counts down.
    raid_countdown_s: int = 90
    raid_tick_s: float = 1.0

    command_timeout_s: float = 5.0
    # Readiness: a feed (decider, projection, scheduler) whose leader has not reported for
    # this long is not running; one behind its topics that applied nothing for this long is
    # stalled. Either makes /ready answer 503 naming it.
    ready_feed_silent_s: float = 30.0
    ready_feed_stalled_s: float = 60.0

    # Recommendations: how stale the live channels and the co-viewing graph may be, and the
    # watch time that makes a viewer count on a channel for co-viewing.
    recommendations_live_refresh_s: float = 5.0
    recommendations_graph_refresh_s: float = 300.0
    recommendations_min_watch_minutes: int = 5
    read_wait_max_s: float = 5.0
    projection_batch_size: int = 5000
    # Projectors following the log read at most this often while they keep up: fewer fetches
    # and larger batches for a little staleness. The analytics sink waits longer, since each
    # ClickHouse insert writes new parts (to the raw table and every rollup). Chat history
    # waits longer too: a channel's messages of one read are written to Cassandra together.
    projection_pace_ms: int = 100
    analytics_pace_ms: int = 1000
    chat_history_pace_ms: int = 1000

    def ad_rates(self) -> dict[str, Any]:
        """What a break started now earns: fixed by its AdBreakStarted."""
        return {"cpm_minor": self.ad_cpm_minor, "currency": self.ad_currency,
                "creator_share_bps": self.ad_creator_share_bps, "cooldown_s": self.ad_cooldown_s}

    @model_validator(mode="after")
    def _tls_has_its_files(self) -> Settings:
        if self.irc_tls_port and not (self.irc_tls_cert_file and self.irc_tls_key_file):
            raise ValueError("irc_tls_port needs irc_tls_cert_file and irc_tls_key_file")
        if self.irc_tls_port and self.irc_tls_port in (self.irc_port, self.gateway_port):
            raise ValueError("irc_tls_port must differ from irc_port and gateway_port")
        return self

    @property
    def irc_tls_files(self) -> tuple[Path, Path] | None:
        """The IRC TLS listener's certificate chain and key, when it listens."""
        if not (self.irc_tls_port and self.irc_tls_cert_file and self.irc_tls_key_file):
            return None
        return self.irc_tls_cert_file, self.irc_tls_key_file

    @property
    def objects(self) -> Path:
        """Where uploaded files live (a mounted bucket in production)."""
        return self.object_store_dir or self.state_dir / "objects"

    @property
    def recordings(self) -> Path:
        return self.recordings_dir or self.state_dir / "recordings"

    @property
    def vods(self) -> str:
        if self.vod_base_url:
            return self.vod_base_url
        if self.vod_store == "s3":
            return f"{self.s3}/{self.s3_bucket}/vods"
        return self.hls.rsplit("/hls", 1)[0] + "/vods"

    @property
    def s3(self) -> str:
        return self.s3_endpoint_url or f"http://127.0.0.1:{self.s3_port}"

    @property
    def cassandra(self) -> list[str]:
        return [h.strip() for h in (self.cassandra_hosts or "127.0.0.1").split(",") if h.strip()]

    @property
    def rtmp(self) -> str:
        return self.rtmp_url or f"rtmp://127.0.0.1:{self.rtmp_port}/live"

    @property
    def hls(self) -> str:
        return self.hls_base_url or f"http://127.0.0.1:{self.hls_http_port}/hls"

    @property
    def thumbnails(self) -> str:
        return self.thumbnail_base_url or f"http://127.0.0.1:{self.hls_http_port}/thumbnails"

    @property
    def balanced(self) -> bool:
        """Several gateways behind the local load balancer."""
        return self.gateways > 1

    @property
    def gateway_upstream_ports(self) -> tuple[int, ...]:
        """Where each gateway process listens: gateway_port itself when there is one."""
        if not self.balanced:
            return (self.gateway_port,)
        first = self.gateway_first_upstream_port or self.gateway_port + 1
        return tuple(range(first, first + self.gateways))

    @property
    def ingest(self) -> str:
        return self.ingest_url or f"http://{self.gateway_host}:{self.gateway_port}"

    @property
    def rtmp_stat_url(self) -> str:
        """nginx-rtmp's statistics page (XML), for reconciling live sessions."""
        return self.hls.rsplit("/hls", 1)[0] + "/stat"

    @property
    def ingest_hosts(self) -> frozenset[str]:
        return frozenset(h.strip() for h in self.ingest_allowed_hosts.split(",") if h.strip())

    @property
    def kafka(self) -> str:
        return self.kafka_bootstrap or f"127.0.0.1:{self.kafka_port}"

    @property
    def postgres(self) -> str:
        return self.postgres_dsn or (
            f"postgresql://postgres@127.0.0.1:{self.postgres_port}/castline"
        )

    @property
    def postgres_reads(self) -> str:
        """Where reads that may lag go: the replica if there is one."""
        return self.postgres_replica_dsn or self.postgres

    @property
    def redis(self) -> str:
        return self.redis_url or f"redis://127.0.0.1:{self.redis_port}/0"

    @property
    def clickhouse(self) -> str:
        return self.clickhouse_url or f"clickhouse://default@127.0.0.1:{self.clickhouse_port}/castline"


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
