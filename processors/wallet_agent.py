"""Thin Faust agent around the wallet decider: one writer per user, the payment provider called
between the decider's pure steps.

Each command is settled in order: its events are acknowledged by the broker before the table
remembers its outcome and the gateway is answered. After a crash a command is decided again;
the provider answers the same idempotency key with the same charge, and events keep the ids
derived from the command, so a replayed purchase is neither charged nor counted twice.
"""

from __future__ import annotations

import logging

import faust

from castline.settings import Settings
from events.base import Command
from events.codec import Codec
from events.monetization import (
    WALLET_COMMANDS_TOPIC,
    BuyBits,
    CheerBits,
    CheerPostDecided,
    DonationReviewed,
    MakeDonation,
    RefundBits,
)
from payments.provider import PaymentProvider
from processors import wallet_decider as wallet
from processors import wallet_refunds
from processors.charging import refund_with_retries
from processors.decisions import Rejected, decoded, raw_topic
from processors.decisions import send as send_message
from processors.paid_agent import DeciderState, PaidDeciderAgent
from processors.wallet_decider import WalletRules, WalletState
from processors.wallet_state import dump_wallet, load_wallet

log = logging.getLogger(__name__)
WALLET_STATE_TABLE = "wallet-state"


WALLET = DeciderState(WALLET_STATE_TABLE, load_wallet, dump_wallet, wallet.evolve,
                      wallet.remember)


class WalletAgent(PaidDeciderAgent[WalletState]):
    def __init__(self, app: faust.App, codec: Codec, provider: PaymentProvider,
                 rules: WalletRules, charge_attempts: int) -> None:
        super().__init__(app, codec, provider, WALLET, charge_attempts)
        self.rules = rules

    async def on_buy(self, command: BuyBits) -> None:
        state, command_id = self.state(command.user_id), str(command.command_id)
        if await self.answered_before(state, command_id):
            return
        request = wallet.request_purchase(command)
        if isinstance(request, Rejected):
            return await self.settle(command.user_id, state, command_id, request)
        result = await self.charge(request)
        if result is None:
            return await self.unavailable(command_id)
        decision = wallet.purchase_charged(state, command, result, self.rules, self.provider.name)
        return await self.settle(command.user_id, state, command_id, decision)

    async def on_cheer(self, command: CheerBits) -> None:
        state = self.state(command.user_id)
        if not await self.answered_before(state, str(command.command_id)):
            await self.ask_channel(command, state, wallet.cheer(state, command, self.rules))

    async def ask_channel(self, command: CheerBits | MakeDonation, state: WalletState,
                          asked: tuple[WalletState, Command] | Rejected) -> None:
        """Keep what waits for the channel's answer, then ask it; or answer the refusal."""
        if isinstance(asked, Rejected):
            return await self.settle(command.user_id, state, str(command.command_id), asked)
        waiting, question = asked
        self.keep(command.user_id, waiting)
        await send_message(raw_topic(self.app, question.topic), self.codec, question)
        return None

    async def on_cheer_decided(self, reply: CheerPostDecided) -> None:
        decided = wallet.cheer_decided(self.state(reply.user_id), reply, self.rules)
        if decided is None:
            log.warning("no cheer held for message %s of user %s: answered already",
                        reply.message_id, reply.user_id)
            return
        state, command_id, decision = decided
        await self.settle(reply.user_id, state, command_id, decision)

    async def on_donate(self, command: MakeDonation) -> None:
        state = self.state(command.user_id)
        if not await self.answered_before(state, str(command.command_id)):
            await self.ask_channel(command, state, wallet.donate(state, command, self.rules))

    async def on_donation_reviewed(self, reply: DonationReviewed) -> None:
        state = self.state(reply.user_id)
        reviewed = wallet.donation_reviewed(state, reply)
        if reviewed is None:
            log.warning("no donation %s of user %s awaits a review", reply.donation_id,
                        reply.user_id)
            return
        pending, request = reviewed
        state = wallet.forget_donation(state, pending.command_id)
        if isinstance(request, Rejected):
            return await self.settle(reply.user_id, state, pending.command_id, request)
        result = await self.charge(request)
        if result is None:
            self.keep(reply.user_id, state)
            return await self.unavailable(pending.command_id)
        decision = wallet.donation_charged(state, pending, result, self.rules,
                                           self.provider.name)
        return await self.settle(reply.user_id, state, pending.command_id, decision)

    async def on_refund(self, command: RefundBits) -> None:
        state, command_id = self.state(command.user_id), str(command.command_id)
        if await self.answered_before(state, command_id):
            return
        request = wallet_refunds.request_refund(state, command)
        if isinstance(request, Rejected):
            return await self.settle(command.user_id, state, command_id, request)
        result = await refund_with_retries(self.provider, request.charge_id, request.amount,
                                           request.idempotency_key, self.attempts)
        if result is None:
            return await self.unavailable(command_id)
        decision = wallet_refunds.refund_made(state, command, result, self.provider.name)
        return await self.settle(command.user_id, state, command_id, decision)

    async def handle(self, message: object) -> None:
        if isinstance(message, BuyBits):
            await self.on_buy(message)
        elif isinstance(message, CheerBits):
            await self.on_cheer(message)
        elif isinstance(message, CheerPostDecided):
            await self.on_cheer_decided(message)
        elif isinstance(message, MakeDonation):
            await self.on_donate(message)
        elif isinstance(message, DonationReviewed):
            await self.on_donation_reviewed(message)
        elif isinstance(message, RefundBits):
            await self.on_refund(message)
        else:
            log.error("unexpected %s on %s", type(message).__name__, WALLET_COMMANDS_TOPIC)


def register_wallet_decider(app: faust.App, codec: Codec, provider: PaymentProvider,
                            rules: WalletRules, charge_attempts: int) -> None:
    agent = WalletAgent(app, codec, provider, rules, charge_attempts)

    @app.agent(raw_topic(app, WALLET_COMMANDS_TOPIC), concurrency=1)
    async def decide_wallet_commands(stream: faust.StreamT[bytes]) -> None:
        async for message in decoded(app, codec, stream):
            await agent.handle(message)


def wallet_rules(settings: Settings) -> WalletRules:
    return WalletRules(
        bits_currency=settings.bits_currency, bit_value_minor=settings.bit_value_minor,
        creator_share_bps=settings.bits_creator_share_bps,
        max_cheer_bits=settings.cheer_max_bits, donation_limits=dict(settings.donation_limits),
        donation_platform_fee_bps=settings.donation_platform_fee_bps)
