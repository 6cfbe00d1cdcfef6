"""The provider the settings name. A real processor is a class with PaymentProvider's methods
(e.g. over its HTTP API with its own idempotency keys) added to PROVIDERS under its name."""

from __future__ import annotations

from collections.abc import Callable

from config.settings import Settings
from payments.provider import PaymentProvider
from payments.sandbox import Fees, SandboxProvider


def _sandbox(settings: Settings) -> PaymentProvider:
    return SandboxProvider(settings.postgres, Fees(settings.sandbox_fee_bps,
                                                   settings.sandbox_fee_fixed_minor))


PROVIDERS: dict[str, Callable[[Settings], PaymentProvider]] = {"sandbox": _sandbox}


class UnknownProvider(ValueError):
    pass


def provider_from_settings(settings: Settings) -> PaymentProvider:
    make = PROVIDERS.get(settings.payment_provider)
    if make is None:
        raise UnknownProvider(f"CASTLINE_PAYMENT_PROVIDER={settings.payment_provider!r}: "
                              f"known providers are {', '.join(sorted(PROVIDERS))}")
    return make(settings)
