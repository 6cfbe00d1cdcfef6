from dataclasses import dataclass

from events.storable import unstorable_field


@dataclass(frozen=True)
class Inner:
    tags: tuple[str, ...]


@dataclass(frozen=True)
class Outer:
    title: str
    inner: Inner
    extra: dict[str, str]


def test_plain_text_is_storable() -> None:
    assert unstorable_field(Outer("x\ny\x01", Inner(("a",)), {"k": "v"})) is None


def test_nul_is_found_with_its_path() -> None:
    assert unstorable_field(Outer("x\x00y", Inner(()), {})) == "title"
    assert unstorable_field(Outer("", Inner(("a", "\x00")), {})) == "inner.tags.1"
    assert unstorable_field(Outer("", Inner(()), {"k": "v\x00"})) == "extra.k"
    assert unstorable_field(Outer("", Inner(()), {"k\x00": "v"})) == "extra"
