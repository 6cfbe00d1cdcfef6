"""What a decider makes of a charge's result that it will not count."""

from __future__ import annotations

from events.base import Event
from payments.provider import ChargeResult, Declined
from processors.deciders.decisions import Rejected


def uncounted_charge(result: ChargeResult) -> list[Event] | Rejected:
    """What a decider records of a charge it will not count: a decline is refused; a charge
    already counted (the provider answering the same key again after the outcome was
    forgotten) records nothing more."""
    if isinstance(result, Declined):
        return Rejected(result.code, result.message, "card_number")
    return []
