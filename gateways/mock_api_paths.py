"""The Twitch CLI mock API's paths (`twitch mock-api start`), where tools are pointed for
testing (twurple's TWURPLE_MOCK_API_PORT): Helix under /mock/, EventSub subscriptions at
/eventsub/subscriptions, id.twitch.tv's OAuth under /auth/. They are the same endpoints as
/helix/ and /oauth2/, so such a tool runs against Castline unchanged; they are left out of the
OpenAPI document."""

from __future__ import annotations

from dataclasses import replace

from gateways.openapi import Endpoint

# Most specific first: EventSub's subscriptions are not under /mock/.
ALIASES = (("/helix/eventsub/", "/eventsub/"), ("/helix/", "/mock/"), ("/oauth2/", "/auth/"))


def mock_api_aliases(endpoints: list[Endpoint]) -> list[Endpoint]:
    aliased = []
    for endpoint in endpoints:
        alias = next(((prefix, to) for prefix, to in ALIASES
                      if endpoint.path.startswith(prefix)), None)
        if alias is not None:
            aliased.append(replace(endpoint, path=alias[1] + endpoint.path[len(alias[0]):]))
    return aliased
