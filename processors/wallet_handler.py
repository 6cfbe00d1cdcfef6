"""The wallet decider around its batches: one writer per user, the payment provider called
between the decider's pure steps.

After a crash a batch is decided again: the provider answers the same idempotency key with
the same charge, and events keep the ids derived from the command, so a replayed purchase is
neither charged nor counted twice.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

from config.settings import Settings
from events.base import Command, Message
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
from processors.charging import refund_with_retries
from processors.decider_states import StateKind
from processors.deciders import wallet_refunds
from processors.deciders import wallets as wallet
from processors.deciders.decisions import Rejected
from processors.deciders.wallets import WalletRules, WalletState
from processors.decision_batch import DecisionBatch
from processors.paid_handler import PaidHandler
from processors.wallet_state import dump_wallet, load_wallet

log = logging.getLogger(__name__)

WALLETS: StateKind[WalletState] = StateKind("wallets", load_wallet, dump_wallet, wallet.evolve,
                                            wallet.remember)
WalletMessage = (BuyBits | CheerBits | CheerPostDecided | MakeDonation | DonationReviewed
                 | RefundBits)


class WalletHandler(PaidHandler[WalletState]):
    name = "wallet_decider"
    topics = (WALLET_COMMANDS_TOPIC,)
    kinds = (WALLETS,)

    def __init__(self, provider: PaymentProvider, rules: WalletRules, charge_attempts: int) -> None:
        super().__init__(provider, WALLETS, charge_attempts)
        self.rules = rules

    def keys(self, message: Message) -> Iterable[tuple[StateKind[Any], str]]:
        return [(WALLETS, message.user_id)] if isinstance(message, WalletMessage) else []

    def handle(self, batch: DecisionBatch, message: Message) -> None:
        if isinstance(message, BuyBits):
            self.on_buy(batch, message)
        elif isinstance(message, CheerBits):
            self.ask_channel(batch, message, lambda s: wallet.cheer(s, message, self.rules))
        elif isinstance(message, CheerPostDecided):
            self.on_cheer_decided(batch, message)
        elif isinstance(message, MakeDonation):
            self.ask_channel(batch, message, lambda s: wallet.donate(s, message, self.rules))
        elif isinstance(message, DonationReviewed):
            self.on_donation_reviewed(batch, message)
        elif isinstance(message, RefundBits):
            self.on_refund(batch, message)
        else:
            log.error("unexpected %s on %s", type(message).__name__, WALLET_COMMANDS_TOPIC)

    def on_buy(self, batch: DecisionBatch, command: BuyBits) -> None:
        state, command_id = batch.state(WALLETS, command.user_id), str(command.command_id)
        if batch.answered_before(state, command_id):
            return
        request = wallet.request_purchase(command)
        if isinstance(request, Rejected):
            return batch.settle(WALLETS, command.user_id, state, command_id, request)
        result = self.charge(request)
        if result is None:
            return self.unavailable(batch, command_id)
        decision = wallet.purchase_charged(state, command, result, self.rules, self.provider.name)
        return batch.settle(WALLETS, command.user_id, state, command_id, decision)

    def ask_channel(self, batch: DecisionBatch, command: CheerBits | MakeDonation,
                    ask: Any) -> None:
        """Keep what waits for the channel's answer, then ask it; or answer the refusal."""
        state, command_id = batch.state(WALLETS, command.user_id), str(command.command_id)
        if batch.answered_before(state, command_id):
            return
        asked: tuple[WalletState, Command] | Rejected = ask(state)
        if isinstance(asked, Rejected):
            return batch.settle(WALLETS, command.user_id, state, command_id, asked)
        waiting, question = asked
        batch.keep(WALLETS, command.user_id, waiting)
        batch.send(question)
        return None

    def on_cheer_decided(self, batch: DecisionBatch, reply: CheerPostDecided) -> None:
        decided = wallet.cheer_decided(batch.state(WALLETS, reply.user_id), reply, self.rules)
        if decided is None:
            log.warning("no cheer held for message %s of user %s: answered already",
                        reply.message_id, reply.user_id)
            return
        state, command_id, decision = decided
        batch.settle(WALLETS, reply.user_id, state, command_id, decision)

    def on_donation_reviewed(self, batch: DecisionBatch, reply: DonationReviewed) -> None:
        state = batch.state(WALLETS, reply.user_id)
        reviewed = wallet.donation_reviewed(state, reply)
        if reviewed is None:
            log.warning("no donation %s of user %s awaits a review", reply.donation_id,
                        reply.user_id)
            return
        pending, request = reviewed
        state = wallet.forget_donation(state, pending.command_id)
        if isinstance(request, Rejected):
            return batch.settle(WALLETS, reply.user_id, state, pending.command_id, request)
        result = self.charge(request)
        if result is None:
            batch.keep(WALLETS, reply.user_id, state)
            return self.unavailable(batch, pending.command_id)
        decision = wallet.donation_charged(state, pending, result, self.rules,
                                           self.provider.name)
        return batch.settle(WALLETS, reply.user_id, state, pending.command_id, decision)

    def on_refund(self, batch: DecisionBatch, command: RefundBits) -> None:
        state, command_id = batch.state(WALLETS, command.user_id), str(command.command_id)
        if batch.answered_before(state, command_id):
            return
        request = wallet_refunds.request_refund(state, command)
        if isinstance(request, Rejected):
            return batch.settle(WALLETS, command.user_id, state, command_id, request)
        result = self.run(refund_with_retries(self.provider, request.charge_id, request.amount,
                                              request.idempotency_key, self.attempts))
        if result is None:
            return self.unavailable(batch, command_id)
        decision = wallet_refunds.refund_made(state, command, result, self.provider.name)
        return batch.settle(WALLETS, command.user_id, state, command_id, decision)


def wallet_rules(settings: Settings) -> WalletRules:
    return WalletRules(
        bits_currency=settings.bits_currency, bit_value_minor=settings.bit_value_minor,
        creator_share_bps=settings.bits_creator_share_bps,
        max_cheer_bits=settings.cheer_max_bits, donation_limits=dict(settings.donation_limits),
        donation_platform_fee_bps=settings.donation_platform_fee_bps)
