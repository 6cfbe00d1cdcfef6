"""Every kind of rejection a decider can answer has its HTTP status written down, and only
those; a kind that has none is still answered (422) and logged."""

from __future__ import annotations

import ast
import logging
from pathlib import Path

import pytest

import processors
from gateways.rejections import REJECTION_STATUS, rejection_status
from payments.sandbox import DECLINES, REFUND_DECLINES
from processors.channel_batches import UNPROCESSABLE

PROCESSORS = Path(processors.__file__).parent
# Where a rejection is made with its kind written out: Rejected(kind, ...), and the stream
# decider's refused(kind, ...), which records the refused attempt too.
REJECTING_CALLS = {"Rejected", "refused"}
# Kinds passed on rather than written at a rejecting call: the payment provider's decline
# codes (a refund's prefixed refund_), and the runners' refusal of a command they cannot decide.
PROVIDER_CODES = {code for code, _ in DECLINES.values()} | {"idempotency_key_reused"}
REFUND_CODES = {f"refund_{code}" for code in [*REFUND_DECLINES, "idempotency_key_reused"]}
PASSED_ON = PROVIDER_CODES | REFUND_CODES | {UNPROCESSABLE}


def kinds_in(expression: ast.expr) -> set[str]:
    """The kinds a rejecting call's first argument can be, where they are written in it."""
    if isinstance(expression, ast.Constant) and isinstance(expression.value, str):
        return {expression.value}
    if isinstance(expression, ast.IfExp):
        return kinds_in(expression.body) | kinds_in(expression.orelse)
    if isinstance(expression, ast.BoolOp):
        return set().union(*(kinds_in(value) for value in expression.values))
    return set()


def written_kinds() -> set[str]:
    kinds: set[str] = set()
    for source in PROCESSORS.rglob("*.py"):
        for node in ast.walk(ast.parse(source.read_text(), str(source))):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
                    and node.func.id in REJECTING_CALLS and node.args):
                kinds |= kinds_in(node.args[0])
    return kinds


def test_the_deciders_are_read_for_their_kinds() -> None:
    assert {"channel_not_found", "wrong_key", "ad_cooldown", "rejected"} <= written_kinds()


def test_every_kind_a_decider_can_answer_has_a_status() -> None:
    missing = (written_kinds() | PASSED_ON) - set(REJECTION_STATUS)
    assert not missing, f"rejection kinds without an HTTP status: {sorted(missing)}"


def test_every_status_is_of_a_kind_a_decider_answers() -> None:
    unanswered = set(REJECTION_STATUS) - written_kinds() - PASSED_ON
    assert not unanswered, f"statuses of kinds no decider answers: {sorted(unanswered)}"


@pytest.mark.parametrize(("kind", "status"), [
    ("channel_not_found", 404), ("username_taken", 409), ("card_declined", 402),
    ("payment_unavailable", 503), ("timed_out", 422), ("wrong_key", 403),
])
def test_a_kind_is_answered_its_status(kind: str, status: int) -> None:
    assert rejection_status(kind) == status


def test_an_unknown_kind_is_422_and_logged(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger="gateways.rejections"):
        assert rejection_status("not_a_kind_anyone_answers") == 422
    assert "not_a_kind_anyone_answers" in caplog.text
