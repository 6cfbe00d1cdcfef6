"""Typed failures of the local stack; each message says what to look at next."""

from __future__ import annotations


class StackError(Exception):
    """A local server could not be installed, started, checked or stopped."""


class InstallError(StackError):
    """A Debian package or Python wheel a server needs could not be installed."""


class PortInUseError(StackError):
    """Something else already listens on a port a server was configured to use."""


class ServerExitedError(StackError):
    """A server process died while the stack waited for it to answer."""


class ServerNotReadyError(StackError):
    """A server process runs but did not answer on its protocol in time."""


class StopError(StackError):
    """A server's processes survived SIGKILL."""
