"""The TLS listener's settings are checked when they are read, not when a client connects."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from config.settings import Settings


def test_a_tls_port_without_its_files_is_refused() -> None:
    with pytest.raises(ValidationError, match="irc_tls_cert_file"):
        Settings(irc_tls_port=6697)
    assert Settings(irc_tls_port=0).irc_tls_port == 0
    with pytest.raises(ValidationError, match="must differ"):
        Settings(irc_tls_port=6667, irc_port=6667, irc_tls_cert_file=Path("c"),
                 irc_tls_key_file=Path("k"))
