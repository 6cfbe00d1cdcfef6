"""Money as an integer count of an ISO 4217 currency's minor unit (cents), never a float."""

from __future__ import annotations

import re
from dataclasses import dataclass

CURRENCY_CODE = re.compile(r"^[A-Z]{3}$")
BASIS_POINTS = 10_000


class InvalidMoney(ValueError):
    """An amount or currency that money cannot be."""


@dataclass(frozen=True)
class Money:
    amount_minor: int
    currency: str

    def __post_init__(self) -> None:
        if isinstance(self.amount_minor, bool) or not isinstance(self.amount_minor, int):
            raise InvalidMoney(f"an amount is a whole number of minor units, not "
                               f"{self.amount_minor!r}")
        if not CURRENCY_CODE.match(self.currency):
            raise InvalidMoney(f"{self.currency!r} is not an ISO 4217 currency code")


def share(amount_minor: int, basis_points: int) -> int:
    """The part of an amount a rate in basis points gives, rounded down to a minor unit: the
    remainder stays with whoever gets "the rest", so parts always add up to the whole."""
    if not 0 <= basis_points <= BASIS_POINTS:
        raise InvalidMoney(f"a share is 0 to {BASIS_POINTS} basis points, not {basis_points}")
    return amount_minor * basis_points // BASIS_POINTS
