"""The subscription decider around its batches (one writer per channel), and the scheduler
that tells channels when periods have ended.

The scheduler is a leader ticker: it reads which channels have a period ended by their clock's
time (from the subscriptions read model) and sends each a RenewDueSubscriptions tick. The tick
is only a nudge: the decider renews or ends what its own state says is due, so a late, early
or repeated tick changes nothing. A renewal is charged with the key (subscription, period), so
a tick decided again after a crash charges the same period once and writes the same event.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import datetime
from typing import Any

import psycopg

from config.settings import Settings
from events.base import Message
from events.subscriptions import (
    SUBSCRIPTION_COMMANDS_TOPIC,
    CancelSubscription,
    ChangeSubscriptionCard,
    GiftSubscriptions,
    RenewDueSubscriptions,
    Subscribe,
)
from payments.provider import ChargeRequest, ChargeResult, PaymentProvider
from processors.decider_states import StateKind
from processors.deciders import subscriptions as subs
from processors.deciders.decisions import Rejected
from processors.deciders.subscriptions import SubscriptionRules, SubscriptionState
from processors.decision_batch import DecisionBatch
from processors.paid_handler import PaidHandler
from processors.scheduler import Ticker
from processors.subscription_clock import Clock
from processors.subscription_state import dump_subscriptions, load_subscriptions

log = logging.getLogger(__name__)

SUBSCRIPTIONS: StateKind[SubscriptionState] = StateKind(
    "subscriptions", load_subscriptions, dump_subscriptions, subs.evolve, subs.remember)
SubscriptionMessage = (Subscribe | GiftSubscriptions | RenewDueSubscriptions | CancelSubscription
                       | ChangeSubscriptionCard)


class SubscriptionHandler(PaidHandler[SubscriptionState]):
    name = "subscription_decider"
    topics = (SUBSCRIPTION_COMMANDS_TOPIC,)
    kinds = (SUBSCRIPTIONS,)

    def __init__(self, provider: PaymentProvider, rules: SubscriptionRules,
                 charge_attempts: int) -> None:
        super().__init__(provider, SUBSCRIPTIONS, charge_attempts)
        self.rules = rules

    def keys(self, message: Message) -> Iterable[tuple[StateKind[Any], str]]:
        if isinstance(message, SubscriptionMessage):
            return [(SUBSCRIPTIONS, message.channel)]
        return []

    def handle(self, batch: DecisionBatch, message: Message) -> None:
        if isinstance(message, Subscribe):
            self.on_subscribe(batch, message)
        elif isinstance(message, GiftSubscriptions):
            self.on_gift(batch, message)
        elif isinstance(message, RenewDueSubscriptions):
            self.on_renew(batch, message)
        elif isinstance(message, CancelSubscription | ChangeSubscriptionCard):
            self.on_change(batch, message)
        else:
            log.error("unexpected %s on %s", type(message).__name__, SUBSCRIPTION_COMMANDS_TOPIC)

    def paid(self, batch: DecisionBatch, channel: str, state: SubscriptionState,
             command_id: str, request: ChargeRequest | Rejected) -> ChargeResult | None:
        """The charge's answer; None once the command is answered (refused or unavailable)."""
        if isinstance(request, Rejected):
            batch.settle(SUBSCRIPTIONS, channel, state, command_id, request)
            return None
        result = self.charge(request)
        if result is None:
            self.unavailable(batch, command_id)
        return result

    def on_subscribe(self, batch: DecisionBatch, command: Subscribe) -> None:
        state, command_id = batch.state(SUBSCRIPTIONS, command.channel), str(command.command_id)
        if batch.answered_before(state, command_id):
            return
        request = subs.request_subscription(state, command)
        result = self.paid(batch, command.channel, state, command_id, request)
        if result is not None:
            batch.settle(SUBSCRIPTIONS, command.channel, state, command_id,
                         subs.subscription_charged(state, command, result, self.rules,
                                                   self.provider.name))

    def on_gift(self, batch: DecisionBatch, command: GiftSubscriptions) -> None:
        state, command_id = batch.state(SUBSCRIPTIONS, command.channel), str(command.command_id)
        if batch.answered_before(state, command_id):
            return
        recipients = subs.gift_recipients(state, command)
        request = recipients if isinstance(recipients, Rejected) else subs.request_gift(
            command, recipients)
        result = self.paid(batch, command.channel, state, command_id, request)
        if result is not None and not isinstance(recipients, Rejected):
            batch.settle(SUBSCRIPTIONS, command.channel, state, command_id, subs.gift_charged(
                state, command, recipients, result, self.rules, self.provider.name))

    def on_renew(self, batch: DecisionBatch, tick: RenewDueSubscriptions) -> None:
        """Each due period, one at a time: its events published and the state kept."""
        state = batch.state(SUBSCRIPTIONS, tick.channel)
        while (member := subs.next_due(state, tick.now)) is not None:
            step = subs.ending_or_charge(tick.channel, member, self.rules)
            if isinstance(step, ChargeRequest):
                result = self.charge(step)
                if result is None:
                    return  # the provider is down: the next tick tries the same key again
                events = subs.renewal_charged(tick.channel, member, result, self.rules,
                                              self.provider.name)
            else:
                events = [step]
            batch.publish(events)
            for event in events:
                state = subs.evolve(state, event)
            batch.keep(SUBSCRIPTIONS, tick.channel, state)

    def on_change(self, batch: DecisionBatch,
                  command: CancelSubscription | ChangeSubscriptionCard) -> None:
        state, command_id = batch.state(SUBSCRIPTIONS, command.channel), str(command.command_id)
        if batch.answered_before(state, command_id):
            return
        decision = (subs.cancel(state, command) if isinstance(command, CancelSubscription)
                    else subs.change_card(state, command))
        batch.settle(SUBSCRIPTIONS, command.channel, state, command_id, decision)


async def due_channels(dsn: str, clock: Clock) -> list[tuple[str, datetime]]:
    """Channels with a period ended by their clock's time, and that time."""
    async with await psycopg.AsyncConnection.connect(dsn) as conn:
        cur = await conn.execute(
            "SELECT channel, min(period_end) FROM subscriptions WHERE ended_at IS NULL "
            "AND (%s OR period_end <= now()) GROUP BY channel", (clock.moved(),))
        rows = await cur.fetchall()
    due = []
    for channel, first_end in rows:
        now = await clock.now(channel)
        if first_end <= now:
            due.append((channel, now))
    return due


def renewal_ticker(settings: Settings, clock: Clock) -> Ticker:
    async def tick_due_subscriptions() -> list[Message]:
        try:
            due = await due_channels(settings.postgres, clock)
        except psycopg.OperationalError as error:
            log.warning("subscriptions read model unreachable; next tick tries again: %s", error)
            return []
        return [RenewDueSubscriptions(channel=channel, now=now) for channel, now in due]

    return Ticker("renewals", settings.subscription_tick_s, tick_due_subscriptions)


def subscription_rules(settings: Settings) -> SubscriptionRules:
    return SubscriptionRules(prices=dict(settings.subscription_prices),
                             currency=settings.subscription_currency,
                             creator_share_bps=dict(settings.subscription_creator_share_bps))
