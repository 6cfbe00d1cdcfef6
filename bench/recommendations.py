"""`castline bench recommendations`: hit-rate@10 of the recommendation model against a
most-popular baseline on synthetic histories, and the time one viewer's recommendations take.

Pure computation, no servers. Each world is generated from its seed; the last sessions of each
viewer are held out (see recommendations.evaluation for the exact rule). Compute time is taken
per call, on the evaluated viewers' own histories and on histories padded to `HEAVY_HISTORY`
channels (with a few follows), every channel live: wall time, and the thread's CPU time,
which other processes on a busy machine do not inflate.
"""

from __future__ import annotations

import random
import statistics
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field

from bench.verdicts import Verdicts
from recommendations.evaluation import (
    HELD_OUT_FRACTION,
    Recommend,
    hit_rate,
    model,
    most_popular,
    split,
    trained_recommender,
)
from recommendations.inputs import ViewerHistory
from recommendations.model import Recommender
from recommendations.synthetic import SyntheticWorld, WorldShape, generate

LIMIT = 10
HEAVY_HISTORY = 100
HEAVY_FOLLOWS = 5
HEAVY_VIEWERS = 1000
MODEL_TO_POPULAR = 1.25
HEAVY_CPU_P99_MS = 5.0


@dataclass
class Stopwatch:
    wall_ms: list[float] = field(default_factory=list)
    cpu_ms: list[float] = field(default_factory=list)

    @contextmanager
    def timing(self) -> Iterator[None]:
        wall, cpu = time.perf_counter(), time.thread_time()
        yield
        self.wall_ms.append((time.perf_counter() - wall) * 1000)
        self.cpu_ms.append((time.thread_time() - cpu) * 1000)

    def summary(self) -> str:
        return (f"wall p50 {percentile(self.wall_ms, 50):.2f} p99 "
                f"{percentile(self.wall_ms, 99):.2f} ms, CPU p50 "
                f"{percentile(self.cpu_ms, 50):.2f} p99 {percentile(self.cpu_ms, 99):.2f} ms")


@dataclass(frozen=True)
class Run:
    sessions: int
    evaluated: int
    mean_history: float
    model_hit_rate: float
    baseline_hit_rate: float


def run_recommendations_bench(shapes: Sequence[WorldShape]) -> bool:
    started = time.perf_counter()
    print(f"hit-rate@{LIMIT}: a viewer is a hit when a channel first watched in their last "
          f"{HELD_OUT_FRACTION:.0%} of sessions is among the {LIMIT} recommended; model and "
          "most-popular both leave out channels watched before; every channel live. Targets "
          f"(chosen, none stated): model >= x{MODEL_TO_POPULAR} most-popular's hit-rate, one "
          f"viewer's recommendations with a heavy history <= {HEAVY_CPU_P99_MS} ms CPU at p99")
    verdicts = Verdicts()
    for shape in shapes:
        judge_world(shape, verdicts)
    print(f"bench took {time.perf_counter() - started:.0f} s")
    return verdicts.passed


def judge_world(shape: WorldShape, verdicts: Verdicts) -> None:
    stopwatch = Stopwatch()
    run, recommender, world = measured(shape, stopwatch)
    print(f"seed {shape.seed}: {shape.viewers:,} viewers ({run.evaluated:,} evaluated, "
          f"{run.mean_history:.0f} channels watched on average), {shape.channels:,} channels "
          f"in {shape.categories} categories, {run.sessions:,} sessions")
    print(f"  hit-rate@{LIMIT}: model {run.model_hit_rate:.3f}, most-popular "
          f"{run.baseline_hit_rate:.3f}")
    world_name = f"seed {shape.seed}, {shape.viewers}x{shape.channels}"
    ratio = run.model_hit_rate / run.baseline_hit_rate if run.baseline_hit_rate else 0.0
    verdicts.figure(f"{world_name}: hit-rate model/most-popular", ratio, MODEL_TO_POPULAR,
                    higher_is_better=True)
    print(f"  per viewer, own histories: {stopwatch.summary()}")
    heavy = heavy_stopwatch(recommender, world, shape.seed)
    print(f"  per viewer, {min(HEAVY_HISTORY, shape.channels)} channels watched, "
          f"{HEAVY_FOLLOWS} followed: {heavy.summary()}")
    verdicts.figure(f"{world_name}: CPU p99 per viewer, heavy history",
                    percentile(heavy.cpu_ms, 99), HEAVY_CPU_P99_MS, higher_is_better=False,
                    unit=" ms")


def measured(shape: WorldShape, stopwatch: Stopwatch,
             ) -> tuple[Run, Recommender, SyntheticWorld]:
    world = generate(shape)
    held_out = split(world)
    recommender = trained_recommender(world, held_out.histories)
    evaluated = held_out.evaluated
    run = Run(sum(len(log.sessions) for log in world.logs), len(evaluated),
              statistics.fmean(len(h.training) for h in evaluated),
              hit_rate(timed(model(recommender), stopwatch), evaluated, LIMIT),
              hit_rate(most_popular(held_out.histories), evaluated, LIMIT))
    return run, recommender, world


def timed(recommend: Recommend, stopwatch: Stopwatch) -> Recommend:
    def timed_recommend(training: Mapping[str, float], limit: int) -> Sequence[str]:
        with stopwatch.timing():
            return recommend(training, limit)
    return timed_recommend


def heavy_stopwatch(recommender: Recommender, world: SyntheticWorld, seed: int) -> Stopwatch:
    rng = random.Random(seed)
    channels = sorted(world.channel_categories)
    stopwatch = Stopwatch()
    for _ in range(HEAVY_VIEWERS):
        watched = rng.sample(channels, min(HEAVY_HISTORY, len(channels)))
        viewer = ViewerHistory({c: rng.lognormvariate(3.0, 1.0) for c in watched},
                               frozenset(watched[:HEAVY_FOLLOWS]))
        with stopwatch.timing():
            recommender.recommend(viewer, LIMIT)
    return stopwatch


def percentile(values: Sequence[float], percent: int) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(len(ordered) * percent / 100))]
