"""A report's answers as figures that add up: the one rule the digest and the workbook share.

Numbers are summed and yes answers counted (the branches whose meeting was held); only received
reports count (`lifecycle.received`). The digest's key figures and the workbook's totals and
subtotals both come from here, so a clerk's sums always equal the digest's.
"""

from __future__ import annotations

from typing import Any

from handlers.reports.form import FieldType, FormField

#: The kinds of question a total is taken of.
SUMMABLE = frozenset({FieldType.INT, FieldType.YESNO})


def summable(question: FormField) -> bool:
    """Whether a question's answers add up to a figure (numbers, yes/no)."""
    return question.type in SUMMABLE


def figure(question: FormField, value: Any) -> int:
    """What one answer adds to its question's figure: a yes counts 1, a number itself; a missing
    or odd value adds 0."""
    if question.type is FieldType.YESNO:
        return 1 if value is True else 0
    return _number(value)


def _number(value: Any) -> int:
    """An answer as a whole number; a missing or odd value counts as 0."""
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, int | float):
        return int(value)
    if isinstance(value, str) and value.strip().lstrip("-").isdigit():
        return int(value)
    return 0
