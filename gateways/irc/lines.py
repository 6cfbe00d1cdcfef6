"""IRC lines with IRCv3 message tags, as Twitch's chat sends and reads them: parsing a client's
line and formatting the server's (pure functions).

    @tag=value;tag2 :prefix COMMAND param param :trailing param
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

SERVER = "tmi.twitch.tv"
# The line without its tags: IRC's 512 bytes hold too few of a message's 500 characters in
# UTF-8, so four bytes each. Tags as IRCv3 bounds a client's (4094 bytes).
MAX_BODY_BYTES = 2048
MAX_CLIENT_TAG_BYTES = 4096
MAX_LINE_BYTES = MAX_BODY_BYTES + MAX_CLIENT_TAG_BYTES

_ESCAPES = {"\\": "\\\\", ";": "\\:", " ": "\\s", "\r": "\\r", "\n": "\\n"}
_UNESCAPES = {":": ";", "s": " ", "\\": "\\", "r": "\r", "n": "\n"}


class MalformedLine(ValueError):
    """A line that is not IRC: no command, bytes that are not UTF-8, or a NUL."""


@dataclass(frozen=True)
class Line:
    command: str
    params: tuple[str, ...] = ()
    tags: Mapping[str, str] = field(default_factory=dict)
    prefix: str | None = None
    trailing: bool = False  # the last parameter as ":..." even when it has no space


def escape_tag(value: str) -> str:
    return "".join(_ESCAPES.get(char, char) for char in value)


def unescape_tag(value: str) -> str:
    """IRCv3: "\\:" is ";", "\\s" a space...; a backslash before another character is
    dropped, and a lone one at the end too."""
    out, chars = [], iter(value)
    for char in chars:
        if char != "\\":
            out.append(char)
            continue
        following = next(chars, "")
        out.append(_UNESCAPES.get(following, following))
    return "".join(out)


def parse_tags(text: str) -> dict[str, str]:
    tags = {}
    for item in text.split(";"):
        if item:
            key, _, value = item.partition("=")
            tags[key] = unescape_tag(value)
    return tags


def parse_line(raw: bytes) -> Line:
    """One line as a client sent it, without its CR LF."""
    try:
        text = raw.decode()
    except UnicodeDecodeError as error:
        raise MalformedLine("the line is not UTF-8") from error
    if "\0" in text:
        raise MalformedLine("the line holds a NUL")
    tags: dict[str, str] = {}
    prefix = None
    if text.startswith("@"):
        tag_text, _, text = text[1:].partition(" ")
        tags = parse_tags(tag_text)
    text = text.lstrip(" ")
    if text.startswith(":"):
        prefix, _, text = text[1:].partition(" ")
    head, colon, trailing = text.partition(" :")
    words = head.split()
    if not words:
        raise MalformedLine("the line has no command")
    params = words[1:] + ([trailing] if colon else [])
    return Line(words[0].upper(), tuple(params), tags, prefix)


def format_line(line: Line) -> str:
    """The line with its CR LF; the last parameter as a trailing one (":...") when asked or
    when it must be (empty, spaced, or starting with a colon)."""
    parts = []
    if line.tags:
        parts.append("@" + ";".join(f"{key}={escape_tag(value)}"
                                     for key, value in line.tags.items()))
    if line.prefix:
        parts.append(":" + line.prefix)
    parts.append(line.command)
    if line.params:
        *middle, last = line.params
        parts.extend(middle)
        spaced = not last or " " in last or last.startswith(":")
        parts.append(":" + last if line.trailing or spaced else last)
    return " ".join(parts) + "\r\n"


def server_line(command: str, *params: str, tags: Mapping[str, str] | None = None,
                trailing: bool = False) -> Line:
    return Line(command, params, tags or {}, SERVER, trailing)


def user_prefix(login: str) -> str:
    return f"{login}!{login}@{login}.{SERVER}"
