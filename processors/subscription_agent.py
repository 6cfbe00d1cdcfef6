"""Thin Faust agent around the subscription decider (one writer per channel), and the
scheduler that tells channels when periods have ended.

The scheduler is a leader timer: it reads which channels have a period ended by their clock's
time (from the subscriptions read model) and sends each a RenewDueSubscriptions tick. The tick
is only a nudge: the decider renews or ends what its own state says is due, so a late, early
or repeated tick changes nothing. A renewal is charged with the key (subscription, period), so
a tick decided again after a crash charges the same period once and writes the same event.
"""

from __future__ import annotations

import logging
from datetime import datetime

import faust
import psycopg

from castline.settings import Settings
from events.codec import Codec
from events.subscriptions import (
    SUBSCRIPTION_COMMANDS_TOPIC,
    CancelSubscription,
    ChangeSubscriptionCard,
    GiftSubscriptions,
    RenewDueSubscriptions,
    Subscribe,
)
from payments.provider import ChargeRequest, ChargeResult, PaymentProvider
from processors import subscription_decider as subs
from processors.decisions import Rejected, decoded, publish, raw_topic
from processors.decisions import send as send_message
from processors.paid_agent import DeciderState, PaidDeciderAgent
from processors.subscription_clock import Clock
from processors.subscription_decider import SubscriptionRules, SubscriptionState
from processors.subscription_state import dump_subscriptions, load_subscriptions

log = logging.getLogger(__name__)
SUBSCRIPTION_STATE_TABLE = "subscription-state"


SUBSCRIPTIONS = DeciderState(SUBSCRIPTION_STATE_TABLE, load_subscriptions, dump_subscriptions,
                             subs.evolve, subs.remember)


class SubscriptionAgent(PaidDeciderAgent[SubscriptionState]):
    def __init__(self, app: faust.App, codec: Codec, provider: PaymentProvider,
                 rules: SubscriptionRules, charge_attempts: int) -> None:
        super().__init__(app, codec, provider, SUBSCRIPTIONS, charge_attempts)
        self.rules = rules

    async def paid(self, channel: str, state: SubscriptionState, command_id: str,
                   request: ChargeRequest | Rejected) -> ChargeResult | None:
        """The charge's answer; None once the command is answered (refused or unavailable)."""
        if isinstance(request, Rejected):
            await self.settle(channel, state, command_id, request)
            return None
        result = await self.charge(request)
        if result is None:
            await self.unavailable(command_id)
        return result

    async def on_subscribe(self, command: Subscribe) -> None:
        state, command_id = self.state(command.channel), str(command.command_id)
        if await self.answered_before(state, command_id):
            return
        request = subs.request_subscription(state, command)
        result = await self.paid(command.channel, state, command_id, request)
        if result is not None:
            await self.settle(command.channel, state, command_id, subs.subscription_charged(
                state, command, result, self.rules, self.provider.name))

    async def on_gift(self, command: GiftSubscriptions) -> None:
        state, command_id = self.state(command.channel), str(command.command_id)
        if await self.answered_before(state, command_id):
            return
        recipients = subs.gift_recipients(state, command)
        request = recipients if isinstance(recipients, Rejected) else subs.request_gift(
            command, recipients)
        result = await self.paid(command.channel, state, command_id, request)
        if result is not None and not isinstance(recipients, Rejected):
            await self.settle(command.channel, state, command_id, subs.gift_charged(
                state, command, recipients, result, self.rules, self.provider.name))

    async def on_renew(self, tick: RenewDueSubscriptions) -> None:
        """Each due period, one at a time: its events published, then the state kept."""
        state = self.state(tick.channel)
        while (member := subs.next_due(state, tick.now)) is not None:
            step = subs.ending_or_charge(tick.channel, member, self.rules)
            if isinstance(step, ChargeRequest):
                result = await self.charge(step)
                if result is None:
                    return  # the provider is down: the next tick tries the same key again
                events = subs.renewal_charged(tick.channel, member, result, self.rules,
                                              self.provider.name)
            else:
                events = [step]
            await publish(self.app, self.codec, str(tick.command_id), events)
            for event in events:
                state = subs.evolve(state, event)
            self.keep(tick.channel, state)

    async def handle(self, message: object) -> None:
        if isinstance(message, Subscribe):
            await self.on_subscribe(message)
        elif isinstance(message, GiftSubscriptions):
            await self.on_gift(message)
        elif isinstance(message, RenewDueSubscriptions):
            await self.on_renew(message)
        elif isinstance(message, CancelSubscription | ChangeSubscriptionCard):
            await self.on_change(message)
        else:
            log.error("unexpected %s on %s", type(message).__name__, SUBSCRIPTION_COMMANDS_TOPIC)

    async def on_change(self, command: CancelSubscription | ChangeSubscriptionCard) -> None:
        state, command_id = self.state(command.channel), str(command.command_id)
        if await self.answered_before(state, command_id):
            return
        decision = (subs.cancel(state, command) if isinstance(command, CancelSubscription)
                    else subs.change_card(state, command))
        await self.settle(command.channel, state, command_id, decision)


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


def register_subscription_decider(app: faust.App, codec: Codec, provider: PaymentProvider,
                                  settings: Settings, clock: Clock) -> None:
    agent = SubscriptionAgent(app, codec, provider, subscription_rules(settings),
                              settings.payment_charge_attempts)
    commands = raw_topic(app, SUBSCRIPTION_COMMANDS_TOPIC)

    @app.agent(commands, concurrency=1)
    async def decide_subscription_commands(stream: faust.StreamT[bytes]) -> None:
        async for message in decoded(app, codec, stream):
            await agent.handle(message)

    async def tick_due_subscriptions() -> None:
        try:
            due = await due_channels(settings.postgres, clock)
        except psycopg.OperationalError as error:
            log.warning("subscriptions read model unreachable; next tick tries again: %s", error)
            return
        for channel, now in due:
            await send_message(commands, codec, RenewDueSubscriptions(channel=channel, now=now))

    app.timer(settings.subscription_tick_s, on_leader=True)(tick_due_subscriptions)


def subscription_rules(settings: Settings) -> SubscriptionRules:
    return SubscriptionRules(prices=dict(settings.subscription_prices),
                             currency=settings.subscription_currency,
                             creator_share_bps=dict(settings.subscription_creator_share_bps))
