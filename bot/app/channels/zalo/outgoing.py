"""A `Reply` as Zalo can show it: numbered choices, pieces of 2000 characters, links for files,
and an album as one sendPhoto per photo (Zalo has no albums), each by a signed link."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from bot.app.channels.render import numbered_text, split_text
from bot.app.web.links import SignedLinks
from bot.engine.types import Reply

log = logging.getLogger(__name__)

#: Zalo's limit for sendMessage text and sendPhoto captions.
TEXT_LIMIT = 2000


@dataclass(frozen=True, slots=True)
class Outgoing:
    """What to call: an optional sendPhoto (URL + caption), one sendPhoto per album photo, then
    sendMessage for each piece."""

    photo_url: str | None
    caption: str
    pieces: tuple[str, ...]
    album: tuple[tuple[str, str], ...] = ()  # (URL, caption) of each photo


def reply_text(reply: Reply) -> str:
    """Text plus its choices as numbered lines (answered by number or words)."""
    return numbered_text(reply)


def album_captions(title: str, count: int, limit: int = TEXT_LIMIT) -> list[str]:
    """Each photo of an album names it, numbered when there are several: on Zalo every photo is
    a message of its own, and may be read apart from the others."""
    if count == 1:
        return [title[:limit]]
    return [f"{title[: limit - 12]} ({i}/{count})" for i in range(1, count + 1)]


def _album(reply: Reply, text: str, links: SignedLinks | None) -> tuple[list[tuple[str, str]], str]:
    """The album's photos as signed links, its title on each; returns them and the text left."""
    if not reply.album:
        return [], text
    if links is None:
        log.warning("no web.public_base_url: cannot send %s photos on Zalo", len(reply.album))
        return [], text
    title, _, rest = text.partition("\n")
    captions = album_captions(title, len(reply.album))
    urls = [links.photo_link(photo.sha256, photo.mime) for photo in reply.album]
    return list(zip(urls, captions, strict=True)), rest.strip("\n")


def compose(reply: Reply, links: SignedLinks | None, limit: int = TEXT_LIMIT) -> Outgoing:
    """Zalo has no buttons and no documents: a photo goes by URL, a document as a link line."""
    album, text = _album(reply, reply_text(reply), links)
    photo_url = None
    if reply.document is not None:
        if links is None:
            log.warning("no web.public_base_url: cannot offer %s on Zalo", reply.document.filename)
        else:
            url = links.publish(
                reply.document.data, reply.document.filename, sensitive=reply.document.sensitive
            )
            text = f"{text}\n\n📎 {reply.document.filename}: {url}".strip()
    if reply.photo is not None:
        if links is None:
            log.warning("no web.public_base_url: cannot send %s on Zalo", reply.photo.filename)
        else:
            photo_url = links.publish(reply.photo.data, reply.photo.filename)
    pieces = split_text(text, limit) if text.strip() else []
    caption = pieces.pop(0) if photo_url is not None and pieces else ""
    return Outgoing(photo_url=photo_url, caption=caption, pieces=tuple(pieces), album=tuple(album))
