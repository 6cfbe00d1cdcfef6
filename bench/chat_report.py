"""What a chat load's tally says: the rate sustained within the sending window, latencies,
whether every accepted message reached every reader that stayed connected once and in order
(or what was lost), CPU per 1,000 messages by process, and a verdict on each target."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from itertools import pairwise

from bench.chat_load import Load, Reader, Tally
from bench.harness import percentile

SUSTAINED_TARGET = 0.95  # of the offered messages accepted within the sending window
# The p99 post -> deliver target (ms) by the highest rate (msgs/s) it applies to.
P99_TARGETS_MS = ((100.0, 150.0), (float("inf"), 1000.0))
# A refused message that is delivered all the same: after a timeout the decision may still
# come (the client is told to retry); after any other refusal it is a fault.
REFUSED_BUT_MAYBE_POSTED = frozenset({"decider_timeout", "sender socket closed"})


def p99_target_ms(rate: float) -> float:
    return next(target for highest, target in P99_TARGETS_MS if rate <= highest)


@dataclass
class Completeness:
    readers: int = 0  # stayed connected to the end
    expected: int = 0
    delivered: int = 0
    missing: int = 0
    duplicates: int = 0
    out_of_order: int = 0
    unaccepted: Counter[str] = field(default_factory=Counter)  # delivered; by how answered
    dropped: Counter[str] = field(default_factory=Counter)  # readers closed, by close reason
    dropped_missed: int = 0  # accepted messages the dropped readers never got

    @property
    def faults(self) -> int:
        wrongly_posted = sum(n for answer, n in self.unaccepted.items()
                             if answer not in REFUSED_BUT_MAYBE_POSTED)
        return self.missing + self.duplicates + self.out_of_order + wrongly_posted

    def add(self, reader: Reader, expected: list[int], tally: Tally) -> None:
        got = set(reader.received)
        missed = len(set(expected) - got)
        if reader.closed is not None:
            self.dropped[reader.closed] += 1
            self.dropped_missed += missed
            return
        self.readers += 1
        self.expected += len(expected)
        self.delivered += len(reader.received)
        self.missing += missed
        self.duplicates += len(reader.received) - len(got)
        self.out_of_order += sum(b <= a for a, b in pairwise(reader.received))
        for sequence in got - set(expected):
            self.unaccepted[tally.refused.get(sequence, "unanswered")] += 1


def completeness(tally: Tally) -> Completeness:
    accepted = {channel: [s for s in sent if s in tally.acked_at]
                for channel, sent in tally.sent.items()}
    result = Completeness()
    for reader in tally.readers:
        result.add(reader, accepted.get(reader.channel, []), tally)
    return result


def in_window(tally: Tally) -> int:
    return sum(at <= tally.window[1] for at in tally.acked_at.values())


def ms(values: list[float], fraction: float) -> float:
    return percentile(values, fraction) * 1000


def figures(label: str, tally: Tally, spent: dict[str, float]) -> list[str]:
    window_s = tally.window[1] - tally.window[0]
    sustained, offered = in_window(tally), tally.sent_count
    refused = Counter(tally.refused.values()) + tally.unattributed
    lines = [
        f"{label}: sustained {sustained / max(window_s, 1e-9):,.0f} msgs/s: {sustained:,} of "
        f"{offered:,} offered accepted within the {window_s:.1f} s sending window; "
        f"{len(tally.acked_at):,} accepted by the end of the drain, refused: "
        f"{dict(refused) or 'none'}",
        f"  post -> ack p50 {ms(tally.ack_latencies, 0.5):.1f} ms, p99 "
        f"{ms(tally.ack_latencies, 0.99):.1f} ms; post -> deliver p50 "
        f"{ms(tally.latencies, 0.5):.1f} ms, p99 {ms(tally.latencies, 0.99):.1f} ms",
        "  " + delivery_line(completeness(tally)),
    ]
    per_thousand = 1000 / sustained if sustained else 0.0
    lines.append("  CPU per 1,000 msgs accepted in the window (share of a core): " + ", ".join(
        f"{who} {s * per_thousand * 1000:,.0f} ms ({s / max(window_s, 1e-9):.0%})"
        for who, s in spent.items()))
    return lines


def delivery_line(done: Completeness) -> str:
    line = (f"delivered {done.delivered:,} of {done.expected:,} to the {done.readers:,} "
            f"readers that stayed connected: ")
    if done.missing or done.duplicates or done.out_of_order:
        line += (f"{done.missing:,} missing, {done.duplicates:,} twice, "
                 f"{done.out_of_order:,} out of order")
    else:
        line += "every accepted message once, in order"
    if done.unaccepted:
        line += f"; delivered though not accepted: {dict(done.unaccepted)}"
    dropped = sum(done.dropped.values())
    return line + (f"; readers closed by the server: {dropped:,} {dict(done.dropped)}, "
                   f"missing {done.dropped_missed:,} messages" if dropped else
                   "; no reader closed by the server")


def verdicts(load: Load, tally: Tally) -> tuple[list[str], bool]:
    """PASS/FAIL on each target, and whether the delivery was complete."""
    share = in_window(tally) / max(tally.sent_count, 1)
    p99, target = ms(tally.latencies, 0.99), p99_target_ms(load.rate)
    done = completeness(tally)
    complete = done.faults == 0 and not done.dropped and done.readers > 0
    dropped = sum(done.dropped.values())
    lines = [
        f"{_mark(share >= SUSTAINED_TARGET)} sustained: {share:.1%} of offered accepted within "
        f"the sending window (target >= {SUSTAINED_TARGET:.0%})",
        f"{_mark(p99 <= target and bool(tally.latencies))} p99 post -> deliver {p99:,.0f} ms "
        f"(target <= {target:,.0f} ms at {load.rate:,.0f} msgs/s)",
        f"{_mark(complete)} completeness: {done.faults:,} faults (missing, twice, out of "
        f"order, delivered yet not accepted), {dropped:,} readers dropped, over {done.readers:,} "
        f"connected readers",
    ]
    return lines, complete


def _mark(passed: bool) -> str:
    return "PASS" if passed else "FAIL"
