"""The frames a chat client sends (protocol version 1): JSON objects told apart by "type".
Fields a frame does not name are ignored; the nonce of a message is any JSON value, given back
as it came in the message's ack or error."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, JsonValue, TypeAdapter


class ClientFrame(BaseModel):
    model_config = ConfigDict(strict=True, frozen=True)


class PingFrame(ClientFrame):
    type: Literal["ping"]


class AuthFrame(ClientFrame):
    """Sign in on an open socket with a bearer token."""

    type: Literal["auth"]
    token: str


AnnouncementColor = Literal["primary", "blue", "green", "orange", "purple"]


class MessageFrame(ClientFrame):
    """Post to the chat; the decider holds the text to the chat's rules."""

    type: Literal["message"]
    text: str
    nonce: JsonValue = None
    reply_to: Annotated[str, Field(min_length=1, max_length=64)] | None = None
    announcement: AnnouncementColor | None = None


AnyClientFrame = PingFrame | AuthFrame | MessageFrame
CLIENT_FRAME: TypeAdapter[AnyClientFrame] = TypeAdapter(
    Annotated[AnyClientFrame, Field(discriminator="type")])
