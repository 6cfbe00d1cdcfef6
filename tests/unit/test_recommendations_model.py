from __future__ import annotations

from recommendations.coviewing import CoViewingGraph
from recommendations.inputs import CoViewingInputs, CoViewingPair, LiveChannel, ViewerHistory
from recommendations.live import LiveNow
from recommendations.model import Recommender
from recommendations.reasons import Reason, ReasonKind

LIVE = [
    LiveChannel("speedy", "racing", 300), LiveChannel("drifter", "racing", 300),
    LiveChannel("builder", "sandbox", 300), LiveChannel("crafter", "sandbox", 50),
    LiveChannel("sniper", "shooter", 5000), LiveChannel("medic", "shooter", 4000),
    LiveChannel("tactician", "strategy", 20), LiveChannel("followed_live", "racing", 10),
]
CATEGORIES = {c.channel: c.category for c in LIVE} | {"old_fav": "racing", "asleep": "sandbox"}


def recommender(pairs: list[CoViewingPair], live: list[LiveChannel] = LIVE) -> Recommender:
    return Recommender(LiveNow.of(live), CoViewingGraph.build(CoViewingInputs(tuple(pairs))),
                       CATEGORIES)


def pair(a: str, b: str, shared: float) -> CoViewingPair:
    return CoViewingPair(a, b, shared)


def test_followed_live_channels_come_first_most_watched_first() -> None:
    viewer = ViewerHistory({"old_fav": 500, "sniper": 30, "followed_live": 90},
                           frozenset({"sniper", "followed_live", "asleep"}))
    picked = recommender([pair("old_fav", "speedy", 10)]).recommend(viewer)
    assert [(r.channel, r.reason.kind) for r in picked[:3]] == [
        ("followed_live", ReasonKind.FOLLOWED), ("sniper", ReasonKind.FOLLOWED),
        ("speedy", ReasonKind.CO_WATCHED)]
    assert picked[0].explanation == "followed_live is live: you follow them"


def test_co_watched_is_ranked_by_weight_category_affinity_and_viewers() -> None:
    viewer = ViewerHistory({"old_fav": 100})
    pairs = [pair("old_fav", "speedy", 10), pair("old_fav", "drifter", 5),
             pair("old_fav", "builder", 10), pair("old_fav", "crafter", 10)]
    picked = recommender(pairs).recommend(viewer, limit=4)
    # speedy beats drifter on weight (same category and viewers), builder on category affinity
    # (same weight and viewers), and builder beats crafter on viewers.
    assert [r.channel for r in picked] == ["speedy", "drifter", "builder", "crafter"]
    assert all(r.reason == Reason(ReasonKind.CO_WATCHED, watched="old_fav") for r in picked)


def test_a_co_watched_channel_is_explained_by_the_watched_channel_that_weighs_most() -> None:
    viewer = ViewerHistory({"old_fav": 100, "asleep": 100})
    pairs = [pair("old_fav", "builder", 2), pair("asleep", "builder", 8)]
    [picked] = recommender(pairs).recommend(viewer, limit=1)
    assert picked.reason.watched == "asleep"
    assert picked.explanation == "Because you watched asleep"


def test_offline_watched_and_duplicate_channels_are_not_offered() -> None:
    viewer = ViewerHistory({"old_fav": 100, "speedy": 5, "drifter": 40},
                           frozenset({"drifter"}))
    pairs = [pair("old_fav", "speedy", 10), pair("old_fav", "asleep", 50),
             pair("old_fav", "drifter", 10), pair("drifter", "builder", 3),
             pair("old_fav", "builder", 3)]
    picked = [r.channel for r in recommender(pairs).recommend(viewer, limit=len(LIVE))]
    assert picked[:2] == ["drifter", "builder"]
    assert not {"speedy", "asleep"} & set(picked)
    assert len(picked) == len(set(picked)) == len(LIVE) - 1


def test_remaining_places_are_filled_with_popular_channels() -> None:
    viewer = ViewerHistory({"old_fav": 100})
    picked = recommender([pair("old_fav", "speedy", 1)]).recommend(viewer, limit=3)
    assert [(r.channel, r.reason.kind) for r in picked] == [
        ("speedy", ReasonKind.CO_WATCHED), ("sniper", ReasonKind.POPULAR),
        ("drifter", ReasonKind.POPULAR)]
    assert picked[1].explanation == "Popular in shooter right now"


def test_anonymous_viewers_get_the_top_categories_in_turn() -> None:
    picked = recommender([]).recommend(None, limit=6)
    # shooter (9000 viewers) > racing (610) > sandbox (350) > strategy (20), one of each in turn.
    assert [r.channel for r in picked] == [
        "sniper", "drifter", "builder", "tactician", "medic", "speedy"]
    assert all(r.reason == Reason(ReasonKind.POPULAR, category=r.category) for r in picked)


def test_anonymous_diversity_spans_only_the_top_categories_then_goes_by_viewers() -> None:
    live = LiveNow.of(LIVE, popular_categories=2)
    assert [c.channel for c in live.popular] == [
        "sniper", "drifter", "medic", "speedy", "followed_live", "builder", "crafter",
        "tactician"]


def test_a_signed_in_viewer_with_no_history_gets_what_anonymous_ones_get() -> None:
    model = recommender([])
    assert model.recommend(ViewerHistory({})) == model.recommend(None)


def test_the_strongest_co_viewed_channels_are_kept_and_normalised_by_totals() -> None:
    pairs = (pair("a", "b", 10), pair("a", "c", 40), pair("d", "a", 20), pair("a", "a", 99))
    graph = CoViewingGraph.build(CoViewingInputs(pairs, {"a": 100, "b": 1, "c": 400, "d": 100}),
                                 neighbours_per_channel=2)
    assert graph.neighbours["a"] == {"b": 1.0, "d": 0.2}
    assert graph.weight("c", "a") == 0.2
    assert graph.weight("b", "c") == 0.0
