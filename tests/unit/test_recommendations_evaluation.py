from __future__ import annotations

from collections import Counter

import pytest

from recommendations.coviewing import co_viewers
from recommendations.evaluation import (
    hit_rate,
    hold_out,
    model,
    most_popular,
    split,
    trained_recommender,
)
from recommendations.synthetic import (
    Session,
    SyntheticWorld,
    ViewingLog,
    Watch,
    WorldShape,
    generate,
)

SMALL = WorldShape(viewers=1500, channels=300, categories=8, seed=7)


@pytest.fixture(scope="module")
def world() -> SyntheticWorld:
    return generate(SMALL)


def session(hour: float, *channels: str) -> Session:
    return Session(hour, tuple(Watch(channel, 30.0) for channel in channels))


def test_the_same_seed_gives_the_same_world_and_another_seed_another() -> None:
    shape = WorldShape(viewers=200, channels=100, categories=5, seed=3)
    assert generate(shape) == generate(shape)
    assert generate(shape) != generate(WorldShape(200, 100, 5, seed=4))


def test_histories_are_time_ordered_and_popularity_is_skewed(world: SyntheticWorld) -> None:
    for log in world.logs:
        hours = [s.started_hour for s in log.sessions]
        assert hours == sorted(hours)
    views = Counter(w.channel for log in world.logs for s in log.sessions for w in s.watches)
    ranked = [count for _, count in views.most_common()]
    assert sum(ranked[:30]) > sum(ranked[30:])
    assert len(set(world.channel_categories.values())) == SMALL.categories


def test_the_last_sessions_are_held_out_and_only_new_channels_count() -> None:
    log = ViewingLog("v", tuple(session(hour, *channels) for hour, channels in [
        (1, ("a",)), (2, ("a", "b")), (3, ("b",)), (4, ("c",)), (5, ("a", "d")),
        (6, ("b",)), (7, ("c",)), (8, ("e",)), (9, ("a", "f")), (10, ("c", "g"))]))
    held_out = hold_out(log, 0.2)
    assert held_out.training == {"a": 90.0, "b": 90.0, "c": 60.0, "d": 30.0, "e": 30.0}
    assert held_out.targets == {"f", "g"}


def test_co_viewers_count_each_viewer_once_per_pair_above_the_minutes() -> None:
    inputs = co_viewers([{"a": 10, "b": 10, "c": 1}, {"b": 10, "a": 30}, {"c": 20}],
                        min_minutes=5)
    assert {(p.channel_a, p.channel_b, p.shared) for p in inputs.pairs} == {("a", "b", 2)}
    assert inputs.channel_totals == {"a": 2, "b": 2, "c": 1}


def test_on_synthetic_histories_the_model_beats_most_popular(world: SyntheticWorld) -> None:
    held_out = split(world)
    evaluated = held_out.evaluated
    recommender = trained_recommender(world, held_out.histories)
    model_rate = hit_rate(model(recommender), evaluated)
    baseline_rate = hit_rate(most_popular(held_out.histories), evaluated)
    assert len(evaluated) > SMALL.viewers // 2
    assert model_rate > 1.2 * baseline_rate


def test_the_baseline_leaves_out_what_the_viewer_watched(world: SyntheticWorld) -> None:
    histories = split(world).histories
    baseline = most_popular(histories)
    for history in histories[:50]:
        recommended = baseline(history.training, 10)
        assert len(recommended) == 10
        assert not set(recommended) & history.training.keys()
