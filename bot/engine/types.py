"""What channels hand the engine (`Incoming`) and what the engine hands back (`Reply`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path


class InKind(StrEnum):
    TEXT = "text"  # typed text, commands included ("/baocao")
    CHOICE = "choice"  # a pressed button: `payload` is what the button carried
    PHOTO = "photo"  # a photo: `photo` holds the bytes or the reason they could not be had
    UNSUPPORTED = "unsupported"  # stickers, voice, files we do not take


@dataclass(frozen=True, slots=True)
class Photo:
    """An inbound photo: its bytes, or why the channel could not fetch them."""

    data: bytes | None
    problem: str | None = None  # "too_large" | "unreachable"


@dataclass(frozen=True, slots=True)
class Incoming:
    """One inbound update, normalised. Ids are strings on every channel."""

    channel: str
    chat_id: str
    user_id: str
    kind: InKind = InKind.TEXT
    text: str = ""  # the text, or a photo's caption
    payload: str = ""
    photo: Photo | None = None
    display_name: str = ""
    language_hint: str | None = None
    update_id: str | None = None
    # A person's own one-to-one chat with the bot. Groups and channels are refused before
    # anything is looked up: sensitive records must never be shown where others read.
    private: bool = True


@dataclass(frozen=True, slots=True)
class Choice:
    """An answer offered with a question: a button on Telegram, a numbered line elsewhere."""

    payload: str
    label: str


@dataclass(frozen=True, slots=True)
class Attachment:
    """A file to send: a chart (photo) or an export (document)."""

    data: bytes
    filename: str
    mime: str
    # Holds personal data (a workbook with names): a download through a signed link is audited.
    sensitive: bool = False


@dataclass(frozen=True, slots=True)
class KeptPhoto:
    """A photo already kept in the media store, sent by reference: a channel reads its file, or
    links to it, only when it sends it, so a reply of thirty photos holds no bytes."""

    path: Path
    sha256: str
    mime: str
    # The name a saved copy gets ("sinh-hoat-chi-doan-2.jpg").
    filename: str


@dataclass(frozen=True, slots=True)
class Reply:
    """One outbound message, already localised."""

    text: str
    choices: tuple[Choice, ...] = ()
    photo: Attachment | None = None
    document: Attachment | None = None
    # Photos shown together, `text` as their caption: albums on Telegram, one photo message
    # each (by signed link) on Zalo, saved files on the console.
    album: tuple[KeptPhoto, ...] = ()
    # Buttons per keyboard row where the channel has buttons.
    columns: int = 1
    # Hints for channels, e.g. {STALE: "1"} on the answer to an outdated button.
    meta: dict[str, str] = field(default_factory=dict)


#: `Reply.meta` key set on the answer to a button from an old question.
STALE = "stale"


class NotStored(Exception):
    """The update could not be saved (database unreachable or read-only, disk full).

    A channel must then not acknowledge it: the platform delivers it again, and the update log
    makes a second delivery of something already saved harmless.
    """
