from starlette.requests import Request

from gateways.player_tokens import client_address


def address_of(host: str) -> str:
    return client_address(Request({"type": "http", "client": (host, 1234), "headers": []}))


def test_an_ipv6_caller_is_known_by_its_64() -> None:
    assert address_of("2001:db8:1:2::5") == address_of("2001:db8:1:2:ffff::9") == (
        "2001:db8:1:2::/64")
    assert address_of("2001:db8:1:3::5") != address_of("2001:db8:1:2::5")


def test_an_ipv4_caller_is_known_by_its_address() -> None:
    assert address_of("10.0.0.1") != address_of("10.0.0.2")
    assert address_of("10.0.0.1") == "10.0.0.1"
