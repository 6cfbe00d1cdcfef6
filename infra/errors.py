from __future__ import annotations


class StackError(Exception):
    """A local server could not be installed, started or stopped."""
