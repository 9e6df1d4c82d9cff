"""Tiến độ báo cáo: how far a draft is, counted one way for the flow, /cuatoi and reminders.

A question's number is its place in the form ("Câu 8/18"), whatever was skipped before it, so
the total never moves while answering. A draft is "at" its first question that applies and is
not answered yet (a question skipped on purpose is answered: it is stored as None); the photo
step is optional evidence, never missing, so a draft with every other answer is ready to send.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from handlers.reports.form import FieldType, Form, FormField


@dataclass(frozen=True)
class Progress:
    """Where a draft stands: at question `at` of `total`; `at` is None once it is ready."""

    at: int | None
    total: int

    @property
    def ready(self) -> bool:
        """Every question that takes an answer has one: only sending is left."""
        return self.at is None

    @property
    def started(self) -> bool:
        """Something is answered already."""
        return self.at != 1


def question_number(form: Form, key: str) -> tuple[int, int]:
    """The question's place in the whole form: (3, 18) for "Câu 3/18"."""
    keys = [f.key for f in form.fields]
    return (keys.index(key) + 1 if key in keys else len(keys)), len(keys)


def next_question(
    form: Form, answers: dict[str, Any], after: str | None = None, *, photos: bool = True
) -> FormField | None:
    """The first question after `after` (from the start when None) that applies and is not
    answered; the photo step only when `photos`. None when there is none."""
    questions = form.applicable(answers)
    keys = [q.key for q in questions]
    start = keys.index(after) + 1 if after in keys else 0
    for question in questions[start:]:
        if question.key not in answers and (photos or question.type is not FieldType.PHOTOS):
            return question
    return None


def progress(form: Form, answers: dict[str, Any]) -> Progress:
    """How far a draft with these answers is (the same figure wherever it is shown)."""
    pending = next_question(form, answers, photos=False)
    total = len(form.fields)
    return Progress(question_number(form, pending.key)[0] if pending else None, total)
