"""PASS or FAIL next to each figure a bench measures against its target, and whether anything
failed: a bench that failed anything exits 1 after printing everything."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field


def verdict(label: str, value: float, target: float, higher_is_better: bool,
            unit: str = "") -> str:
    passed = value >= target if higher_is_better else value <= target
    bound = ">=" if higher_is_better else "<="
    return (f"{'PASS' if passed else 'FAIL'} {label}: {value:,.2f}{unit} "
            f"(target {bound} {target:,.2f}{unit})")


@dataclass
class Verdicts:
    """Prints each verdict as it is given and remembers the failures."""

    failures: list[str] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return not self.failures

    def figure(self, label: str, value: float, target: float, higher_is_better: bool,
               unit: str = "") -> None:
        self._say(verdict(label, value, target, higher_is_better, unit))

    def complete(self, label: str, missing: Sequence[str]) -> None:
        """Everything `label` counted is in its store, or FAIL naming what is missing."""
        self._say(f"FAIL completeness of {label}: {'; '.join(missing)}" if missing
                  else f"PASS completeness of {label}")

    def fail(self, label: str, reason: str) -> None:
        """A target that could not be measured at all."""
        self._say(f"FAIL {label}: {reason}")

    def _say(self, line: str) -> None:
        print(line)
        if line.startswith("FAIL"):
            self.failures.append(line)
