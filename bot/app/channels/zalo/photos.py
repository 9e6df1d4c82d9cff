"""Fetching an inbound photo from the URL Zalo gives, within a size limit and a time limit."""

from __future__ import annotations

import asyncio
import logging

import aiohttp

from bot.engine.types import Photo

log = logging.getLogger(__name__)

CHUNK = 64 * 1024


async def download_photo(
    session: aiohttp.ClientSession, url: str, *, max_bytes: int, seconds: float
) -> Photo:
    """The photo's bytes, or Photo(None, "too_large" | "unreachable"); never raises."""
    if not url.startswith(("http://", "https://")):
        return Photo(None, "unreachable")
    try:
        async with asyncio.timeout(seconds):
            return await _fetch(session, url, max_bytes)
    except TimeoutError:
        log.info("photo download timed out after %gs", seconds)
    except aiohttp.ClientError as exc:
        log.info("photo download failed: %s", type(exc).__name__)
    return Photo(None, "unreachable")


async def _fetch(session: aiohttp.ClientSession, url: str, max_bytes: int) -> Photo:
    async with session.get(url) as response:
        if response.status != 200:
            log.info("photo download answered HTTP %s", response.status)
            return Photo(None, "unreachable")
        # A declared size over the limit is refused before reading anything.
        if response.content_length is not None and response.content_length > max_bytes:
            return Photo(None, "too_large")
        data = bytearray()
        async for chunk in response.content.iter_chunked(CHUNK):
            data.extend(chunk)
            if len(data) > max_bytes:
                return Photo(None, "too_large")
    if not data:
        return Photo(None, "unreachable")
    return Photo(bytes(data))
