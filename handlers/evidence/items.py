"""Mục minh chứng: what a photo can prove, read from the form — the one implementation.

A yes/no question marked `evidence_item = "meeting"` gives one item unless answered no; a list
question marked `evidence_item = "activity"` gives one item per line ("activity:2"); the whole
report is always an item (stored as None). Labels are `evidence.item.<name>` messages, with the
line's number and words for list items. The chat flows, the summary and the export all ask here.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from bot.engine.textnorm import fold
from bot.i18n import Formatter
from handlers.reports.form import FieldType, Form, FormField

GENERAL = "general"  # the name (and choice payload) of "the report as a whole"; stored as None
LABEL_CHARS = 40  # a listed line is cut to this in chat labels


@dataclass(frozen=True)
class Item:
    """One thing photos can prove: a meeting, the second activity, the whole report."""

    name: str  # the form's evidence_item ("meeting", "activity"), or GENERAL
    number: int | None = None  # the line of a list item, from 1
    words: str = ""  # that line's words

    @property
    def stored(self) -> str | None:
        """What `Evidence.item` holds: "meeting", "activity:2", None for the whole report."""
        if self.name == GENERAL:
            return None
        return self.name if self.number is None else f"{self.name}:{self.number}"

    @property
    def payload(self) -> str:
        """The choice payload that names this item."""
        return self.stored or GENERAL


WHOLE_REPORT = Item(GENERAL)


def _item_fields(form: Form) -> list[FormField]:
    return [f for f in form.fields if f.evidence_item]


def lines_of(answers: dict[str, Any], key: str) -> list[str]:
    """A list answer's lines (none when unanswered or not a list)."""
    value = answers.get(key)
    return [str(v) for v in value] if isinstance(value, list) else []


def items(form: Form, answers: dict[str, Any]) -> list[Item]:
    """Every item of a report with these answers, in form order, the whole report last."""
    found: list[Item] = []
    for field in _item_fields(form):
        name = str(field.evidence_item)
        if field.type is FieldType.YESNO:
            # Unanswered still counts: photos may come before the report is filled in.
            found += [] if answers.get(field.key) is False else [Item(name)]
        else:
            lines = lines_of(answers, field.key)
            found += [Item(name, n, words) for n, words in enumerate(lines, 1)]
    return [*found, WHOLE_REPORT]


def item_named(form: Form, answers: dict[str, Any], stored: str | None) -> Item | None:
    """The item a stored value or a payload names, if this report has it."""
    wanted = None if stored == GENERAL else stored
    return next((i for i in items(form, answers) if i.stored == wanted), None)


def label(f: Formatter, item: Item, limit: int | None = LABEL_CHARS) -> str:
    """'Sinh hoạt chi đoàn', 'Hoạt động 2: Trồng cây', 'Cả báo cáo'."""
    if item.number is None:
        return f.t(f"evidence.item.{item.name}")
    words = item.words
    if limit is not None and len(words) > limit:
        words = words[: limit - 1] + "…"
    return f.t(f"evidence.item.{item.name}", n=item.number, name=words).rstrip(": ")


def describe(
    f: Formatter, form: Form, answers: dict[str, Any], stored: str | None, limit: int | None = None
) -> str:
    """The label of a stored item, named from that report's answers (a line that is gone is
    still named by its number): for the export and the photo checks, which read any report."""
    found = item_named(form, answers, stored)
    if found is not None:
        return label(f, found, limit)
    name, _, number = (stored or GENERAL).partition(":")
    return label(f, Item(name, int(number) if number.isdigit() else None), limit)


def counts(
    form: Form, answers: dict[str, Any], stored_items: Iterable[str | None]
) -> list[tuple[Item, int]]:
    """Photos per item of the report; a photo whose item is gone counts for the whole report,
    so none drops out of the count."""
    known = items(form, answers)
    valid = {i.stored for i in known}
    counted = Counter(s if s in valid else None for s in stored_items)
    return [(item, counted.get(item.stored, 0)) for item in known]


@dataclass(frozen=True)
class Moves:
    """Where photos go after the answers changed, and the old lists to remember."""

    targets: dict[int, str | None]  # evidence id → its new stored item
    former: dict[str, list[str]]  # list question → its lines before it was asked again
    to_whole_report: int  # photos whose item is gone (the secretary is told)


@dataclass(frozen=True)
class _Plan:
    """What a change of answers does to photo items, before looking at any photo."""

    valid: set[str | None]  # the items a photo may stand under after the change
    renumber: dict[str, dict[int, int]]  # list item → old line number → new one (0: gone)
    waiting: set[str]  # list items asked again: their photos wait for the new list
    remembered: dict[str, list[str]]  # list question → its lines before it was asked again


def _plan(
    form: Form, before: dict[str, Any], after: dict[str, Any], former: dict[str, list[str]]
) -> _Plan:
    valid = {i.stored for i in items(form, after)}
    applicable = {q.key for q in form.applicable(after)}
    renumber: dict[str, dict[int, int]] = {}
    waiting: set[str] = set()
    remembered = dict(former)
    for field in _item_fields(form):
        if field.type is FieldType.YESNO:
            continue
        old = lines_of(before, field.key) or remembered.get(field.key, [])
        name = str(field.evidence_item)
        if field.key not in after and field.key in applicable:
            waiting.add(name)  # asked again: its photos are matched once the new list is in
            if old:
                remembered[field.key] = old
            continue
        if field.key in after:
            remembered.pop(field.key, None)
        new = lines_of(after, field.key)
        if old != new:
            renumber[name] = _renumbering(old, new)
    return _Plan(valid, renumber, waiting, remembered)


def may_move(
    form: Form, before: dict[str, Any], after: dict[str, Any], former: dict[str, list[str]]
) -> bool:
    """Whether this change can move a photo at all: a list changed or is asked again, or an
    item appeared or went (when not, the photos need not be read)."""
    plan = _plan(form, before, after, former)
    unchanged = plan.valid == {i.stored for i in items(form, before)}
    return bool(plan.renumber or plan.waiting or not unchanged)


def follow(
    form: Form,
    photos: Iterable[tuple[int, str | None]],
    before: dict[str, Any],
    after: dict[str, Any],
    former: dict[str, list[str]],
) -> Moves:
    """Photos follow their line when a list is retyped in another order (matched by its words);
    photos of a line or a meeting that is gone move to the whole report. While a list is being
    asked again, its photos wait, and its old lines are remembered in `former`."""
    plan = _plan(form, before, after, former)
    targets: dict[int, str | None] = {}
    for evidence_id, stored in photos:
        if stored is None:
            continue
        name, _, number = stored.partition(":")
        if name in plan.waiting and number:
            continue
        target: str | None = stored
        if name in plan.renumber and number.isdigit():
            moved = plan.renumber[name].get(int(number))
            target = f"{name}:{moved}" if moved else None
        target = target if target in plan.valid else None
        if target != stored:
            targets[evidence_id] = target
    gone = sum(1 for target in targets.values() if target is None)
    return Moves(targets, plan.remembered, gone)


def _renumbering(old: list[str], new: list[str]) -> dict[int, int]:
    """Old line number → new number, matched by the line's words (without diacritics)."""
    free = {j: fold(words) for j, words in enumerate(new, start=1)}
    moves: dict[int, int] = {}
    for i, words in enumerate(old, start=1):
        match = next((j for j, text in free.items() if text == fold(words)), None)
        if match is not None:
            moves[i] = match
            del free[match]
    return moves
