"""Uploaded images: checked by content, stored once under their content hash."""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path

from gateways.errors import ApiError

MAX_IMAGE_BYTES = 2 * 1024 * 1024
SIGNATURES = {
    "image/png": (b"\x89PNG\r\n\x1a\n",),
    "image/jpeg": (b"\xff\xd8\xff",),
    "image/gif": (b"GIF87a", b"GIF89a"),
}
EXTENSIONS = {"image/png": "png", "image/jpeg": "jpg", "image/gif": "gif", "image/webp": "webp"}


def image_type(data: bytes) -> str | None:
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    return next((kind for kind, marks in SIGNATURES.items()
                 if any(data.startswith(mark) for mark in marks)), None)


def checked_image(declared: str, data: bytes) -> str:
    """The image's type, or a 4xx naming what is wrong."""
    if declared not in EXTENSIONS:
        raise ApiError(415, "unsupported_media_type",
                       f"send one of {', '.join(EXTENSIONS)}, not {declared or 'nothing'}")
    if len(data) > MAX_IMAGE_BYTES:
        raise ApiError(413, "payload_too_large", f"images are at most {MAX_IMAGE_BYTES} bytes")
    actual = image_type(data)
    if actual != declared:
        raise ApiError(422, "invalid_image", f"the body is not a valid {declared} image", "image")
    return actual


def store(directory: Path, kind: str, data: bytes) -> str:
    """Write the file (atomically: a reader never sees half of it); return its name."""
    name = f"{hashlib.sha256(data).hexdigest()}.{EXTENSIONS[kind]}"
    target = directory / name
    if not target.exists():
        directory.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=directory, delete=False) as partial:
            partial.write(data)
        os.replace(partial.name, target)
        target.chmod(0o644)
    return name
