"""Signed, expiring, revocable links to the district dashboard (bảng điều khiển).

A link is `{base}/bangdieukhien/{district code}/{token id}.{expiry}.{signature}`. The signature
comes from the bot's one link signer (bot/signed_links.py, `web.link_secret`) over the district
and the token id, so a link cannot be moved to another district; the stored row makes it
revocable, and every opening checks that its holder still leads that district.
"""

from __future__ import annotations

import hmac
import re
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Protocol
from urllib.parse import quote

from storage.models import DashboardLink, District, Person
from storage.repositories.audit import AuditRepository
from storage.repositories.dashboard import DashboardLinkRepository
from storage.uow import UnitOfWork

PATH = "/bangdieukhien"
_TOKEN = re.compile(
    r"^(?P<token_id>[0-9a-f]{32})\.(?P<expires>[0-9]{1,12})\.(?P<sig>[A-Za-z0-9_-]{43})$"
)


class LinkSigner(Protocol):
    """What the dashboard needs of the bot's signed links: the public address and the HMAC."""

    base_url: str

    def signature(self, file_id: str, expires: int) -> str: ...


class DashboardWarmUp(Protocol):
    """The web server's side: prepare a district's page in the background (its year's
    scorecard), so the link just sent opens at once."""

    def warm(self, district_id: int) -> None: ...


class DashboardRefused(Exception):
    """The link does not open the page (always answered 403); `reason` is for the log."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class OpenedLink:
    """A link that opens: for which district, in which language, until when."""

    district: District
    locale: str
    expires_at: datetime


def _subject(district_code: str, token_id: str) -> str:
    """What is signed: a file link can never pass for a dashboard link, nor one district's
    link for another's."""
    return f"dashboard:{district_code}:{token_id}"


def _stamp(moment: datetime) -> int:
    return int(moment.timestamp())


async def issue_link(
    uow: UnitOfWork,
    signer: LinkSigner,
    person: Person,
    district: District,
    *,
    locale: str,
    now: datetime,
    ttl: timedelta,
) -> tuple[str, datetime]:
    """Store a new link for `person` over `district`; returns its address and expiry."""
    token_id = secrets.token_hex(16)
    expires = datetime.fromtimestamp(_stamp(now + ttl), UTC)
    uow.get(DashboardLinkRepository).add(
        DashboardLink(
            token_id=token_id,
            person_id=person.id,
            district_id=district.id,
            locale=locale,
            expires_at=expires,
            created_at=now,
        )
    )
    uow.get(AuditRepository).record(
        at=now,
        person_id=person.id,
        action="dashboard.link",
        subject=f"district:{district.code}",
        detail={"expires": expires.isoformat()},
    )
    stamp = _stamp(expires)
    signature = signer.signature(_subject(district.code, token_id), stamp)
    path = f"{PATH}/{quote(district.code, safe='')}/{token_id}.{stamp}.{signature}"
    return f"{signer.base_url.rstrip('/')}{path}", expires


async def open_link(
    uow: UnitOfWork, signer: LinkSigner, district_code: str, token: str, now: datetime
) -> OpenedLink:
    """The district a link opens; raises `DashboardRefused` when forged, expired, revoked, for
    another district, or held by someone who no longer leads it."""
    match = _TOKEN.match(token)
    if match is None:
        raise DashboardRefused("not a dashboard link")
    token_id, stamp = match["token_id"], int(match["expires"])
    expected = signer.signature(_subject(district_code, token_id), stamp)
    if not hmac.compare_digest(match["sig"], expected):
        raise DashboardRefused("bad signature")
    if stamp <= _stamp(now):
        raise DashboardRefused("expired")
    repo = uow.get(DashboardLinkRepository)
    link = await repo.by_token(token_id)
    if link is None or link.district.code != district_code:
        raise DashboardRefused("unknown link")
    if link.revoked_at is not None:
        raise DashboardRefused("revoked")
    if link.expires_at <= now:
        raise DashboardRefused("expired")
    if not await repo.leads(link.person_id, link.district_id):
        raise DashboardRefused("no longer leads the district")
    return OpenedLink(link.district, link.locale, link.expires_at)


async def revoke_links(uow: UnitOfWork, person: Person, now: datetime) -> int:
    """Close every dashboard link the person still has open; returns how many."""
    count = await uow.get(DashboardLinkRepository).revoke_all(person.id, now)
    uow.get(AuditRepository).record(
        at=now,
        person_id=person.id,
        action="dashboard.revoke",
        subject=f"person:{person.id}",
        detail={"links": count},
    )
    return count
