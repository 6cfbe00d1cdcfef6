"""One write in flight on a thread of its own, so that the next batch is decoded while the
store takes the last one.

Writes run one after another, in the order they were started: starting a write first waits for
the one before it, and raises what that one failed with.
"""

from __future__ import annotations

import threading
from collections.abc import Callable


class WriteBehind:
    def __init__(self, name: str) -> None:
        self.name = name
        self._thread: threading.Thread | None = None
        self._failure: Exception | None = None

    def start(self, write: Callable[[], None]) -> None:
        self.wait()

        def run() -> None:
            try:
                write()
            except Exception as error:  # noqa: BLE001 - raised to the caller by its next wait()
                self._failure = error

        self._thread = threading.Thread(target=run, name=f"write-{self.name}")
        self._thread.start()

    def wait(self) -> None:
        """Return once the write in flight is done; raise what it failed with."""
        thread, self._thread = self._thread, None
        if thread is not None:
            thread.join()
        failure, self._failure = self._failure, None
        if failure is not None:
            raise failure
