"""The diagrams tell the truth: the topics and message names docs/architecture.md uses are the
catalog's topics and the message classes of events/, each on its own topic. Renaming a topic or
a message in the code without the docs (or the other way round) fails here.

A topic in a sequence diagram is a participant declared `participant X as topic NAME`; an
arrow to or from it names only messages of that topic. Every CamelCase word of a diagram is a
message class, bar the product and protocol names below.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pytest

from castline.docs_build import diagrams
from events.catalog import TOPICS
from events.types import ALL_MESSAGES

ARCHITECTURE = Path(__file__).resolve().parents[2] / "docs" / "architecture.md"
SEQUENCE_DIAGRAMS = 5
NOT_MESSAGES = frozenset({"ClickHouse", "WebSocket"})
CAMEL = re.compile(r"\b[A-Z][a-z0-9]+(?:[A-Z][a-z0-9]+)+\b")
TOPIC_PARTICIPANT = re.compile(r"^\s*participant\s+(\w+)\s+as\s+topic\s+(\S+)\s*$")
ARROW = re.compile(r"^\s*(\w+)\s*-{1,2}>>\s*(\w+)\s*:(.*)$")
TOPIC_ROW = re.compile(r"^\| `([a-z][a-z-]*)` \|(.*)$", re.MULTILINE)

CATALOG = {spec.name for spec in TOPICS}
MESSAGES = {message.__name__: message for message in ALL_MESSAGES}


@dataclass(frozen=True)
class Mention:
    """A message named on an arrow to or from a topic participant."""

    message: str
    topic: str
    line: str


def topic_participants(diagram: str) -> dict[str, str]:
    """Participant alias -> topic name."""
    return {match[1]: match[2] for line in diagram.splitlines()
            if (match := TOPIC_PARTICIPANT.match(line))}


def mentions(diagram: str) -> list[Mention]:
    topics = topic_participants(diagram)
    found = []
    for line in diagram.splitlines():
        arrow = ARROW.match(line)
        if arrow is None:
            continue
        ends = [topics[end] for end in (arrow[1], arrow[2]) if end in topics]
        found += [Mention(name, topic, line.strip())
                  for topic in ends for name in CAMEL.findall(arrow[3])]
    return found


def sequence_diagrams() -> list[str]:
    return [d for d in diagrams(ARCHITECTURE) if d.lstrip().startswith("sequenceDiagram")]


def first_message(diagram: str) -> str:
    """An id for a diagram: its first arrow."""
    return next((line.strip() for line in diagram.splitlines() if ARROW.match(line)),
                diagram.split("\n")[0])


def test_the_architecture_page_has_its_five_sequence_diagrams() -> None:
    assert len(sequence_diagrams()) == SEQUENCE_DIAGRAMS


@pytest.mark.parametrize("diagram", sequence_diagrams(), ids=first_message)
def test_every_topic_in_a_diagram_is_in_the_catalog(diagram: str) -> None:
    topics = set(topic_participants(diagram).values())
    assert topics, "a sequence diagram of the platform shows at least one topic"
    assert topics <= CATALOG, f"not in events/catalog.py: {sorted(topics - CATALOG)}"


@pytest.mark.parametrize("diagram", diagrams(ARCHITECTURE), ids=first_message)
def test_every_name_in_a_diagram_is_a_message_class(diagram: str) -> None:
    unknown = set(CAMEL.findall(diagram)) - set(MESSAGES) - NOT_MESSAGES
    assert not unknown, f"no message class of events/ is named {sorted(unknown)}"


@pytest.mark.parametrize("diagram", sequence_diagrams(), ids=first_message)
def test_messages_travel_on_their_own_topics(diagram: str) -> None:
    assert mentions(diagram), "the diagram names what travels on its topics"
    wrong = [f"{m.message} is on {MESSAGES[m.message].topic}, not {m.topic}: {m.line}"
             for m in mentions(diagram)
             if m.message in MESSAGES and MESSAGES[m.message].topic != m.topic]
    assert not wrong, "\n".join(wrong)


def test_the_topic_table_lists_the_catalog_and_each_rows_messages_are_its_own() -> None:
    rows = dict(TOPIC_ROW.findall(ARCHITECTURE.read_text()))
    assert set(rows) == CATALOG
    for topic, row in rows.items():
        names = set(CAMEL.findall(row)) - NOT_MESSAGES
        assert names <= set(MESSAGES), f"{topic}: unknown {sorted(names - set(MESSAGES))}"
        elsewhere = sorted(n for n in names if MESSAGES[n].topic != topic)
        assert not elsewhere, f"{topic}'s row names messages of other topics: {elsewhere}"


def test_a_renamed_message_or_topic_is_caught() -> None:
    diagram = ("sequenceDiagram\n    participant C as topic chat-messages\n"
               "    participant G as gateway\n    G->>C: ChatMessageSent\n"
               "    G->>C: StreamStarted\n")
    assert set(topic_participants(diagram).values()) - CATALOG == {"chat-messages"}
    assert set(CAMEL.findall(diagram)) - set(MESSAGES) == {"ChatMessageSent"}
    assert Mention("StreamStarted", "chat-messages", "G->>C: StreamStarted") in mentions(diagram)
