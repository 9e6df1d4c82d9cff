"""The scorecard's thresholds and weights as data: a TOML file beside the form, checked on load."""

from __future__ import annotations

import tomllib
from functools import lru_cache
from importlib import resources
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from handlers.reports.form import FieldType, Form
from handlers.scorecard.measures import MEASURES

DEFAULT_RULES = "scorecard.toml"


class RulesError(Exception):
    """The rules file cannot be used; the message says where and why."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class MeasureRule(_Strict):
    """One measure of a criterion and its bound: at least `min`, or at most `max`."""

    measure: str
    min: float | None = Field(default=None, ge=0)
    max: float | None = Field(default=None, ge=0)

    @model_validator(mode="after")
    def _known_and_bounded(self) -> MeasureRule:
        if self.measure not in MEASURES:
            known = ", ".join(sorted(MEASURES))
            raise ValueError(f"unknown measure {self.measure!r} (known: {known})")
        if (self.min is None) == (self.max is None):
            raise ValueError(f"{self.measure}: give exactly one of min or max")
        return self

    @property
    def bound(self) -> float:
        return self.min if self.min is not None else self.max or 0.0

    @property
    def kind(self) -> str:
        return "min" if self.min is not None else "max"


class Criterion(_Strict):
    """One criterion of "3 chủ động" that monthly reports can measure."""

    key: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    ref: str = ""  # its number in the frame, e.g. "2.3"
    weight: float = Field(gt=0)
    label: str | None = None
    measures: tuple[MeasureRule, ...] = Field(min_length=1)

    @property
    def label_key(self) -> str:
        """The locale key of the criterion's name."""
        return self.label or f"scorecard.criterion.{self.key}"


class Overall(_Strict):
    """When a unit is met as a whole."""

    min_score: float = Field(ge=0, le=100)
    required: tuple[str, ...] = ()


class FieldMap(_Strict):
    """Which question of the form each figure is read from."""

    members: str = "members_total"
    admitted: str = "admitted"
    transferred_in: str = "transferred_in"
    transferred_out: str = "transferred_out"
    meeting_held: str = "meeting_held"
    meeting_attendance: str = "meeting_attendance"
    one_plus_one: str = "one_plus_one"
    projects: str = "projects_count"
    party_introduced: str = "party_introduced"

    def numbers(self) -> dict[str, str]:
        """figure → question key, for every whole-number figure."""
        return {k: v for k, v in self.model_dump().items() if k != "meeting_held"}


class EvidenceItems(_Strict):
    """What a photo proves, and which report flags mean a reused photo."""

    meeting_item: str = "meeting"
    project_item_prefix: str = "activity:"
    reused_flags: tuple[str, ...] = ()


class ScorecardRules(_Strict):
    """The whole rules file."""

    version: str
    overall: Overall
    fields: FieldMap = FieldMap()
    evidence: EvidenceItems = EvidenceItems()
    criteria: tuple[Criterion, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _consistent(self) -> ScorecardRules:
        keys = [c.key for c in self.criteria]
        twice = sorted({k for k in keys if keys.count(k) > 1})
        if twice:
            raise ValueError(f"criteria declared twice: {', '.join(twice)}")
        unknown = [k for k in self.overall.required if k not in keys]
        if unknown:
            raise ValueError(f"overall.required names unknown criteria: {', '.join(unknown)}")
        return self

    @property
    def total_weight(self) -> float:
        return sum(c.weight for c in self.criteria)

    def locale_keys(self) -> list[str]:
        """The message keys the rules need (a criterion's name)."""
        return [c.label_key for c in self.criteria]


def parse_rules(text: str, source: str = "<rules>") -> ScorecardRules:
    """Rules from TOML text; raises `RulesError` naming the problem."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise RulesError(f"{source}: not valid TOML: {exc}") from None
    try:
        return ScorecardRules.model_validate(data)
    except ValidationError as exc:
        problems = []
        errors = exc.errors()
        for error in errors:
            if error["type"] == "too_short" and any(
                other["loc"][: len(error["loc"])] == error["loc"] and other is not error
                for other in errors
            ):
                continue  # a list emptied by its own bad items: the items' errors say it
            where = ".".join(str(p) for p in error["loc"])
            message = error["msg"].removeprefix("Value error, ")
            problems.append(f"{where}: {message}" if where else message)
        raise RulesError(f"{source}: " + "; ".join(problems)) from None


@lru_cache(maxsize=8)
def load_rules(path: Path | None = None) -> ScorecardRules:
    """The rules at `path`, or the built-in ones beside the form."""
    if path is None:
        text = resources.files("handlers").joinpath("forms", DEFAULT_RULES).read_text("utf-8")
        return parse_rules(text, DEFAULT_RULES)
    return parse_rules(Path(path).read_text("utf-8"), str(path))


def problems_with_form(rules: ScorecardRules, form: Form) -> list[str]:
    """Where the rules read a question the form lacks, or one of the wrong type."""
    problems = []
    expected = {**dict.fromkeys(rules.fields.numbers().values(), FieldType.INT)}
    expected[rules.fields.meeting_held] = FieldType.YESNO
    for key, kind in expected.items():
        question = next((f for f in form.fields if f.key == key), None)
        if question is None:
            problems.append(f"fields: the form has no question {key!r}")
        elif question.type is not kind:
            problems.append(f"fields: question {key!r} is {question.type}, not {kind}")
    return problems
