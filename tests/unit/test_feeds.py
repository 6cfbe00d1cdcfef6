import inspect

from analytics.sink import ClickHouseSink
from feeds.reports import EXPECTED, FeedState
from processors import channel_batches, scheduler
from processors.account_handler import AccountHandler
from processors.subscription_handler import SubscriptionHandler
from processors.wallet_handler import WalletHandler
from projections import chat_history
from projections.registry import PROJECTIONS
from projections.viewers import ViewerCounter


def test_readiness_expects_every_feed_the_worker_runs() -> None:
    run = {AccountHandler.name, WalletHandler.name, SubscriptionHandler.name,
           channel_batches.NAME, scheduler.LOCK, *(p.name for p in PROJECTIONS),
           ViewerCounter.name, chat_history.NAME,
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
