import inspect

from analytics.sink import ClickHouseSink
from feeds.leases import fair_share, feed_key
from feeds.reports import EXPECTED, FeedState, merged
from processors import channel_batches, scheduler
from processors.account_handler import AccountHandler
from processors.subscription_handler import SubscriptionHandler
from processors.wallet_handler import WalletHandler
from projections import chat_history
from projections.eventsub import outbox
from projections.registry import PROJECTIONS
from projections.viewers import ViewerCounter


def test_readiness_expects_every_feed_the_worker_runs() -> None:
    run = {AccountHandler.name, WalletHandler.name, SubscriptionHandler.name,
           channel_batches.NAME, scheduler.LOCK, *(p.name for p in PROJECTIONS),
           ViewerCounter.name, chat_history.NAME, outbox.NAME,
           inspect.signature(ClickHouseSink).parameters["name"].default}
    assert set(EXPECTED) == run


def test_a_feed_is_at_fault_when_silent_or_stalled_not_when_busy() -> None:
    assert FeedState("f", float("inf"), 0, 0.0).fault(30, 60) == (
        "not running: it has never reported")
    assert FeedState("f", 31, 0, 0.0).fault(30, 60) == "not running: no report for 31 s"
    assert FeedState("f", 1, 500, 61).fault(30, 60) == (
        "stalled: 500 records behind, nothing applied for 61 s")
    assert FeedState("f", 1, 500, 5).fault(30, 60) is None
    assert FeedState("f", 1, 0, 600).fault(30, 60) is None


def test_members_report_as_one_feed_the_silent_ones_left_out() -> None:
    gone = FeedState("f", 400, 90, 400)  # a killed worker's last report
    busy, behind = FeedState("f", 1, 0, 0.0), FeedState("f", 2, 30, 70)
    assert merged("f", [gone, busy], 10) == FeedState("f", 1, 0, 0.0)
    assert merged("f", [gone, busy, behind], 10).fault(10, 60) == (
        "stalled: 30 records behind, nothing applied for 70 s")
    assert merged("f", [gone], 10).fault(10, 60) == "not running: no report for 400 s"


def test_every_partition_has_one_member_and_shares_differ_by_at_most_one() -> None:
    partitions = [("b", p) for p in range(12)] + [("a", p) for p in range(5)]
    members = [907, 31, 4400]
    shares = [fair_share(partitions, members, m) for m in members]
    assert sorted(p for share in shares for p in share) == sorted(partitions)
    assert max(map(len, shares)) - min(map(len, shares)) <= 1
    assert fair_share(partitions, members, 5) == set()  # not (yet) a member
    assert fair_share(partitions, [31], 31) == set(partitions)


def test_feed_keys_are_stable_signed_32_bit_integers() -> None:
    keys = {feed_key(name) for name in EXPECTED}
    assert len(keys) == len(EXPECTED)
    assert all(-(2**31) <= key < 2**31 for key in keys)
    assert feed_key("channels") == feed_key("channels")
