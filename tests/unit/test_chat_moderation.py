from __future__ import annotations

from datetime import UTC, datetime

from events.chat_moderation import PERMANENT, ChatModerated, ModerateChat
from processors.deciders.chat_moderation import Staff, moderate, record_moderation
from processors.deciders.decisions import Rejected

STAFF = Staff(owner_id="owner", moderators=("mod", "mod2"))
AT = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)


def act(actor: str, action: str, target: str | None = "viewer", **extra: object) -> ModerateChat:
    return ModerateChat(channel="abcd", action=action, actor_id=actor, target_user_id=target,
                        target_username=target, **extra)  # type: ignore[arg-type]


def test_only_staff_moderate_and_nobody_touches_the_broadcaster() -> None:
    assert isinstance(moderate(STAFF, act("viewer2", "ban")), Rejected)
    assert isinstance(moderate(STAFF, act("mod", "ban", target="owner")), Rejected)
    assert isinstance(moderate(STAFF, act("mod", "ban", target="mod2")), Rejected)
    assert isinstance(moderate(STAFF, act("owner", "ban", target="mod2")), list)
    assert isinstance(moderate(STAFF, act("admin", "ban", target="mod2", actor_admin=True)), list)


def test_deleting_a_message_is_checked_against_its_authors_rank() -> None:
    def delete(actor: str, author: str | None, admin: bool = False) -> object:
        return moderate(STAFF, act(actor, "delete", target=author, message_id="m1",
                                   actor_admin=admin))

    assert isinstance(delete("mod", "owner"), Rejected)
    assert isinstance(delete("mod", "mod2"), Rejected)
    assert isinstance(delete("mod", "viewer"), list)
    assert isinstance(delete("mod", "mod"), list)
    assert isinstance(delete("owner", "owner"), list)
    assert isinstance(delete("owner", "mod2"), list)
    assert isinstance(delete("admin", "mod2", admin=True), list)
    assert isinstance(delete("admin", "owner", admin=True), Rejected)
    unknown = delete("owner", None)
    assert isinstance(unknown, Rejected)
    assert unknown.field == "message_id"


def test_timeouts_are_bounded() -> None:
    for seconds in (0, 14 * 24 * 3600 + 1):
        refused = moderate(STAFF, act("mod", "timeout", duration_s=seconds))
        assert isinstance(refused, Rejected)
        assert refused.field == "duration_s"
    assert isinstance(moderate(STAFF, act("mod", "timeout", duration_s=1)), list)


def test_bans_are_recorded_and_lifted() -> None:
    def event(action: str, duration: int | None) -> ChatModerated:
        return ChatModerated(channel="abcd", action=action, by_user_id="mod",
                             target_user_id="viewer", duration_s=duration, occurred_at=AT)

    timed = record_moderation({}, event("timeout", 60))
    assert timed == {"viewer": AT.timestamp() + 60}
    assert record_moderation(timed, event("ban", PERMANENT)) == {"viewer": PERMANENT}
    assert record_moderation(timed, event("unban", None)) == {}
    assert record_moderation(timed, event("clear", None)) == timed
