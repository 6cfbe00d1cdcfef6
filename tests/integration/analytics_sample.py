"""A small, fixed day of events for the analytics SQL: three channels streaming, viewers
moving between them, chat, follows, moderation, bits, donations, subscriptions and ads."""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from uuid import UUID

from events.ads import AdImpressionRecorded
from events.base import Event
from events.chat import ChatMessagePosted
from events.chat_moderation import ChatModerated
from events.monetization import BitsCheered, BitsPurchased, DonationMade
from events.social import ChannelFollowed, ChannelUnfollowed
from events.streams import StreamEnded, StreamStarted
from events.subscriptions import SubscriptionRenewed, SubscriptionsGifted, SubscriptionStarted
from events.views import ViewHeartbeat

START = datetime(2026, 11, 2, 18, 0, tzinfo=UTC)
CHANNELS = ("speedruns", "chess_club", "cozy_farm")
VIEWERS = (*(f"user-{n}" for n in range(12)), "anon:player-one", "anon:player-two")


def sample_events(seed: int = 7) -> list[Event]:
    rng = random.Random(seed)
    events: list[Event] = []
    for index, channel in enumerate(CHANNELS):
        started = START + timedelta(minutes=5 * index)
        ended = started + timedelta(minutes=40 + 10 * index)
        session = f"session-{channel}"
        events += [
            _at(StreamStarted(channel=channel, session_id=session, client_id=str(index),
                              address="127.0.0.1"), started, rng),
            _at(StreamEnded(channel=channel, session_id=session, reason="publisher stopped"),
                ended, rng),
        ]
        events += _watching(channel, started, ended, rng)
        events += _chatting(channel, started, rng)
        events += _following(channel, started, rng)
        events += _paying(channel, started, rng)
        events += _subscribing(channel, started, rng)
        events += _advertising(channel, started, rng)
    return sorted(events, key=lambda e: e.occurred_at)


def _at(event: Event, moment: datetime, rng: random.Random) -> Event:
    """The event as if it happened at `moment`, with an id the seed decides."""
    identity = UUID(int=rng.getrandbits(128), version=4)
    return type(event)(**{**vars(event), "event_id": identity, "occurred_at": moment})


def _watching(channel: str, started: datetime, ended: datetime,
              rng: random.Random) -> Iterator[Event]:
    for viewer in rng.sample(VIEWERS, 8):
        begin = started + timedelta(seconds=rng.randrange(0, 900))
        moment = begin
        for _ in range(rng.randrange(4, 60)):
            if moment >= ended:
                break
            user = None if viewer.startswith("anon:") else viewer
            yield _at(ViewHeartbeat(channel=channel, viewer_id=viewer, player_session=viewer[-8:],
                                    user_id=user, quality=rng.choice(["1080p", "720p", None])),
                      moment, rng)
            moment += timedelta(seconds=30)


def _chatting(channel: str, started: datetime, rng: random.Random) -> Iterator[Event]:
    for n in range(25):
        user = rng.choice(VIEWERS[:12])
        moment = started + timedelta(seconds=rng.randrange(0, 1800))
        emotes = ["0:0-4"] if n % 3 == 0 else []
        yield _at(ChatMessagePosted(channel=channel, message_id=f"{channel}-{n}", user_id=user,
                                    username=user, display_name=user.title(),
                                    text=f"Kappa message {n}", emotes=emotes), moment, rng)
    yield _at(ChatModerated(channel=channel, action="delete", by_user_id="user-0",
                            message_id=f"{channel}-1"), started + timedelta(minutes=31), rng)
    yield _at(ChatModerated(channel=channel, action="timeout", by_user_id="user-0",
                            target_user_id="user-5", target_username="user-5", duration_s=600),
              started + timedelta(minutes=32), rng)


def _following(channel: str, started: datetime, rng: random.Random) -> Iterator[Event]:
    for day in range(2):
        for user in rng.sample(VIEWERS[:12], 4):
            moment = started + timedelta(days=day, minutes=rng.randrange(0, 120))
            yield _at(ChannelFollowed(channel=channel, user_id=user, username=user), moment, rng)
    yield _at(ChannelUnfollowed(channel=channel, user_id="user-3"),
              started + timedelta(days=1, hours=3), rng)


def _paying(channel: str, started: datetime, rng: random.Random) -> Iterator[Event]:
    for n, user in enumerate(rng.sample(VIEWERS[:12], 3)):
        moment = started + timedelta(minutes=3 * n)
        yield _at(BitsPurchased(user_id=user, bits=500, amount_minor=700, currency="USD",
                                bits_value_minor=500, processor_fee_minor=50,
                                charge_id=f"ch-{channel}-{n}", provider="sandbox",
                                command_id=f"cmd-{channel}-{n}"), moment, rng)
        yield _at(BitsCheered(user_id=user, channel=channel, message_id=f"{channel}-cheer-{n}",
                              bits=100 * (n + 1), currency="USD",
                              creator_share_minor=100 * (n + 1), platform_share_minor=0),
                  moment + timedelta(minutes=1), rng)
    donor = rng.choice(VIEWERS[:12])
    yield _at(DonationMade(user_id=donor, username=donor, display_name=donor.title(),
                           channel=channel, donation_id=f"don-{channel}", amount_minor=1000,
                           currency="EUR", message="great stream", processor_fee_minor=59,
                           platform_fee_minor=50, creator_share_minor=891,
                           charge_id=f"ch-{channel}-don", provider="sandbox"),
              started + timedelta(minutes=20), rng)


def _subscribing(channel: str, started: datetime, rng: random.Random) -> Iterator[Event]:
    month = timedelta(days=30)
    subscriber, gifter = rng.sample(VIEWERS[:12], 2)
    yield _at(SubscriptionStarted(
        channel=channel, user_id=subscriber, subscription_id="s1", tier=1000,
        period_start=started, period_end=started + month, amount_minor=499,
        processor_fee_minor=44, creator_share_minor=250, platform_share_minor=205,
        charge_id="c1", provider="sandbox"), started, rng)
    yield _at(SubscriptionRenewed(
        channel=channel, user_id=subscriber, subscription_id="s1", tier=1000, period=2,
        period_start=started + month, period_end=started + 2 * month, amount_minor=499,
        currency="USD", processor_fee_minor=44, creator_share_minor=250,
        platform_share_minor=205, charge_id="c2", provider="sandbox"),
        started + timedelta(hours=1), rng)
    yield _at(SubscriptionsGifted(
        channel=channel, gift_id="g1", gifter_id=gifter, tier=1000, requested=2,
        recipient_ids=["user-1", "user-2"], amount_minor=998, currency="USD",
        processor_fee_minor=59, creator_share_minor=500, platform_share_minor=439,
        charge_id="c3", provider="sandbox"), started + timedelta(minutes=7), rng)


def _advertising(channel: str, started: datetime, rng: random.Random) -> Iterator[Event]:
    """Impressions at a CPM of 2500: each earns 2 or 3 so that a break's total is exact."""
    for n, viewer in enumerate(rng.sample(VIEWERS, 5), start=1):
        revenue = n * 2500 // 1000 - (n - 1) * 2500 // 1000
        creator = n * 2500 * 55 // 100_000 - (n - 1) * 2500 * 55 // 100_000
        yield _at(AdImpressionRecorded(
            channel=channel, break_id=f"break-{channel}", viewer=viewer, impression=n,
            currency="USD", revenue_minor=revenue, creator_share_minor=creator,
            platform_share_minor=revenue - creator), started + timedelta(minutes=15), rng)
