"""Password policy and hashing (argon2id). A password is never logged nor sent anywhere clear."""

from __future__ import annotations

import asyncio
from functools import lru_cache
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

MIN_LENGTH = 8
MAX_LENGTH = 128
COMMON = Path(__file__).with_name("common_passwords.txt")


@lru_cache(maxsize=1)
def common_passwords() -> frozenset[str]:
    return frozenset(line.strip().lower() for line in COMMON.read_text().splitlines() if line)


def policy_violation(password: str, username: str) -> str | None:
    """A sentence saying what is wrong with the password, or None when it is acceptable."""
    if not MIN_LENGTH <= len(password) <= MAX_LENGTH:
        return f"must be {MIN_LENGTH} to {MAX_LENGTH} characters"
    if password.lower() in common_passwords():
        return "is one of the most common passwords; choose another"
    if username and username.lower() in password.lower():
        return "must not contain the username"
    return None


_hasher = PasswordHasher()


def hash_password_now(password: str) -> str:
    return _hasher.hash(password)


async def hash_password(password: str) -> str:
    # argon2 is deliberately slow (tens of ms of CPU): keep it off the event loop.
    return await asyncio.to_thread(hash_password_now, password)


def verify_password(password_hash: str, password: str) -> bool:
    """Blocking (argon2 is slow by design): the authorization server calls it in a thread."""
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False
