"""A command decided again (after a crash before the decider saved its state) leads to the same
events, ids and times included; different commands lead to different ids."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from uuid import uuid4

from events.accounts import ClaimEmail, RegisterUser, UserRegistered
from events.ads import AdBreakStarted, AdImpressionRecorded, RecordAdImpression
from events.base import Event
from events.chat import SendChatMessage
from events.monetization import BitsCheered, CheerPostDecided, MakeDonation
from events.stream_commands import StartStream
from payments.money import Money
from payments.provider import Charged
from processors.deciders import accounts
from processors.deciders import subscriptions as subs
from processors.deciders import wallets as wallet
from processors.deciders.channels import ChannelCommand, ChannelState, decide
from processors.deciders.decisions import Rejected
from tests.unit.test_ad_decider import OWNER, T0, applied, live_state, start_at
from tests.unit.test_subscription_decider import RULES as SUBSCRIPTION_RULES
from tests.unit.test_subscription_decider import charged, subscribed
from tests.unit.test_wallet_decider import RULES as WALLET_RULES
from tests.unit.test_wallet_decider import USER, cheer_of


def decided_twice(state: ChannelState, command: ChannelCommand) -> list[Event]:
    first, again = decide(state, command), decide(state, command)
    assert first == again
    events = list(first.events) if isinstance(first, Rejected) else first
    assert events, first
    assert all(e.occurred_at == command.issued_at for e in events)
    return events


def test_an_ad_impression_decided_again_is_the_same_event() -> None:
    state, [started] = applied(live_state(), start_at(T0 + timedelta(minutes=1)))
    assert isinstance(started, AdBreakStarted)
    impression = RecordAdImpression(channel="abcd", break_id=started.break_id,
                                    viewer="v1", grace_s=30,
                                    issued_at=T0 + timedelta(minutes=1, seconds=5),
                                    heard_at=T0 + timedelta(minutes=1, seconds=4))
    [recorded] = decided_twice(state, impression)
    assert isinstance(recorded, AdImpressionRecorded)
    [other] = decided_twice(state, replace(impression, viewer="v2", command_id=uuid4()))
    assert isinstance(other, AdImpressionRecorded)
    assert other.event_id != recorded.event_id


def test_every_event_of_a_decision_has_its_own_id() -> None:
    state = ChannelState(exists=True, owner_id=OWNER)
    cheer = SendChatMessage(channel="abcd", message_id="m1", user_id="fan", username="fan",
                            display_name="Fan", text="cheer10 hi", bits=10, issued_at=T0)
    events = decided_twice(state, cheer)
    assert [type(e).__name__ for e in events] == ["ChatMessagePosted", "CheerPostDecided"]
    assert len({e.event_id for e in events}) == 2


def test_a_refused_publish_records_the_same_attempt_again() -> None:
    publish = StartStream(channel="abcd", key_hash="wrong", client_id="c9", address="10.0.0.9",
                          issued_at=T0)
    decided_twice(ChannelState(exists=True, owner_id=OWNER, key_hash="right"), publish)


def test_a_registration_decided_again_leads_to_the_same_claim_and_user() -> None:
    command = RegisterUser(user_id="u1", username="abcd", display_name="Ab",
                           email="a@example.com", password_hash="$argon2id$hash")
    _, claim = accounts.register(accounts.UsernameState(), command)
    _, claim_again = accounts.register(accounts.UsernameState(), command)
    assert isinstance(claim, ClaimEmail)
    assert claim == claim_again
    _, answer = accounts.claim_email(accounts.EmailState(), claim)
    assert answer == accounts.claim_email(accounts.EmailState(), claim)[1]
    pending, _ = accounts.register(accounts.UsernameState(), command)
    registered = accounts.conclude(pending, answer)[1]
    assert registered == accounts.conclude(pending, answer)[1]
    assert isinstance(registered, UserRegistered)
    assert registered.occurred_at == answer.occurred_at == command.issued_at


def test_money_events_take_their_time_from_what_caused_them() -> None:
    cheer = cheer_of(10)
    held = wallet.cheer(replace(wallet.WalletState(), balance=50), cheer, WALLET_RULES)
    assert not isinstance(held, Rejected)
    reply = CheerPostDecided(user_id=USER, channel="chan", message_id=cheer.message_id,
                             posted=True)
    spent = wallet.cheer_decided(held[0], reply, WALLET_RULES)
    assert spent is not None
    [cheered] = spent[2] if isinstance(spent[2], list) else []
    assert isinstance(cheered, BitsCheered)
    assert cheered.occurred_at == reply.occurred_at
    donation = MakeDonation(user_id=USER, username="u", display_name="U", channel="chan",
                            amount_minor=500, currency="USD", message="hi",
                            payment_method="pm", issued_at=datetime(2026, 1, 2, tzinfo=UTC))
    pending = wallet.PendingDonation.of(donation)
    made = [wallet.donation_charged(wallet.WalletState(), pending, result, WALLET_RULES, "sb")
            for result in [Charged("ch_1", Money(500, "USD"), Money(45, "USD"))] * 2]
    assert made[0] == made[1]
    assert isinstance(made[0], list)
    assert made[0][0].occurred_at == donation.issued_at


def test_a_renewal_is_dated_when_it_fell_due() -> None:
    member = subscribed().members["fan"]
    result = charged(499)
    renewed = [subs.renewal_charged("chan", member, result, SUBSCRIPTION_RULES, "sb")
               for _ in range(2)]
    assert renewed[0] == renewed[1]
    assert renewed[0][0].occurred_at == member.period_end
