"""The engine's edge: every inbound update is made safe here, once, for every channel and flow.

Text is stored as typed, so what reaches a handler must already be text any database, any
workbook and any log can hold: NFC (one spelling per Vietnamese letter), no control characters
(openpyxl refuses them, terminals obey them), no lone surrogates (PostgreSQL refuses them). A
NUL byte is never silently dropped: it means the sender is not typing, so the update is refused
as a whole; so is a figure far longer than any count, which Python would refuse to convert.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import replace

from bot.engine.types import Incoming

NUL = "\x00"
#: More digits than this in one figure is never an answer. Python refuses to convert more than
#: 4,300 (a traceback in every parser); a thousand still lets a list of phone numbers through.
MAX_FIGURE_DIGITS = 1000
#: Digits and what parsers strip from between them (money answers lose every space and newline).
_FIGURE = re.compile(r"\d(?:[\s.,'_]*\d)*")
_NEWLINES = re.compile(r"\r\n?|[\u2028\u2029\x85]")


def tidy(text: str, *, multiline: bool = True) -> str:
    """Newlines kept (or made spaces), tabs made spaces, other control characters dropped, NFC.

    NFC comes last: a control character between a letter and its accent would otherwise keep
    them apart through NFC and leave a decomposed letter once it is dropped.
    """
    text = _NEWLINES.sub("\n", text)
    if not multiline:
        text = text.replace("\n", " ")
    kept = []
    for ch in text:
        if ch == "\n" or ch == "\t":
            kept.append(" " if ch == "\t" else ch)
        elif unicodedata.category(ch) not in ("Cc", "Cs"):
            kept.append(ch)
    return unicodedata.normalize("NFC", "".join(kept))


def longest_figure(text: str) -> int:
    """The digits in the longest run of digits and separators ('1.000.000' has 7)."""
    return max((sum(ch.isdigit() for ch in m.group()) for m in _FIGURE.finditer(text)), default=0)


def refusal(incoming: Incoming) -> str | None:
    """The catalog key of the one line that refuses this update, or None when it may go on."""
    if NUL in incoming.text or NUL in incoming.payload:
        return "common.nul_refused"
    if longest_figure(incoming.text) > MAX_FIGURE_DIGITS:
        return "common.figure_too_long"
    return None


def cleaned(incoming: Incoming) -> Incoming:
    """The update with its text, caption, button payload and display name made safe."""
    return replace(
        incoming,
        text=tidy(incoming.text),
        payload=tidy(incoming.payload, multiline=False),
        display_name=tidy(incoming.display_name, multiline=False).strip(),
    )
