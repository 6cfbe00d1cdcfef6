from datetime import UTC, datetime, timedelta

from events.social import ChannelFollowed, ChannelUnfollowed
from projections.follows import fold

START = datetime(2026, 1, 1, tzinfo=UTC)


def follow(minute: int) -> ChannelFollowed:
    return ChannelFollowed(channel="c", user_id="u", username="n",
                           occurred_at=START + timedelta(minutes=minute))


def unfollow(minute: int) -> ChannelUnfollowed:
    return ChannelUnfollowed(channel="c", user_id="u",
                             occurred_at=START + timedelta(minutes=minute))


def test_a_follow_while_following_keeps_the_first() -> None:
    first = follow(1)
    assert fold([first, follow(2)]) == [(first, False)]


def test_a_follow_after_an_unfollow_replaces_the_stored_follow() -> None:
    again = follow(3)
    assert fold([follow(1), unfollow(2), again, follow(4)]) == [(again, True)]


def test_an_unfollow_last_removes() -> None:
    gone = unfollow(2)
    assert fold([follow(1), gone]) == [(gone, True)]
