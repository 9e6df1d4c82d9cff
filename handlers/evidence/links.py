"""What handlers need of the bot's one link signer to point at a kept photo.

The signer (`bot.app.web.links.SignedLinks`, `web.link_secret`) serves the photo from the media
store through the bot's own web server; handlers only ask it for an address.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Protocol


class PhotoLinks(Protocol):
    """Signed, expiring links to kept photos."""

    def photo_link(self, sha256: str, mime: str, ttl: timedelta | None = None) -> str:
        """An address that opens the photo until `ttl` from now (default: the chat links')."""
        ...
