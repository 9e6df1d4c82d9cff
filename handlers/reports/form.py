"""The monthly report form (mẫu báo cáo tháng) as data: loaded from TOML and checked on load."""

from __future__ import annotations

import tomllib
from enum import StrEnum
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from bot.config import Settings
from bot.i18n import Catalog, flatten
from handlers.reports.thresholds import HistoryThresholds

DEFAULT_FORM = "monthly_report.toml"

#: The doubts the history checks note for the district (report.flag.<code> in the catalogs).
HISTORY_CODES = ("history_high", "history_low", "district_high", "same_as_previous", "copied_text")


class FieldType(StrEnum):
    """What kind of answer a question takes."""

    INT = "int"  # a whole number (or money in VND with unit = "vnd")
    YESNO = "yesno"
    DATE = "date"
    CHOICE = "choice"
    MULTICHOICE = "multichoice"
    TEXT = "text"  # short text
    LONGTEXT = "longtext"  # long text, or one item per line with `lines = true`
    PHOTOS = "photos"  # the evidence step: photos go to Evidence rows, not to answers


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Condition(_Strict):
    """When a question applies: another answer is true, equals a value, or is at least `min`."""

    field: str
    equals: bool | int | str | None = None
    min: int | None = None

    def holds(self, answers: dict[str, Any]) -> bool:
        """Whether the question applies given these answers."""
        value = answers.get(self.field)
        if value is None:
            return False
        if self.equals is not None:
            return bool(value == self.equals)
        if self.min is not None:
            return isinstance(value, int) and value >= self.min
        return bool(value)


class Option(_Strict):
    """One answer of a choice question; its label is a locale key."""

    value: str
    label: str


class FormField(_Strict):
    """One question. Locale keys default to `report.field.<key>.question|label|help|column`
    (and `.digest` for a figure of the weekly digest)."""

    key: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    type: FieldType
    required: bool = True
    min: int | None = None
    max: int | None = None
    unit: Literal["vnd"] | None = None
    lines: bool = False
    options: tuple[Option, ...] = ()
    when: Condition | None = None
    question: str | None = None
    label: str | None = None
    help: str | None = None
    #: Its column header in the XLSX export (a locale key).
    column: str | None = None
    #: A figure of the weekly digest: numbers summed, yes answers counted, over received reports.
    digest: bool = False
    #: What photos can prove (mục minh chứng): a yes/no question gives one item named so unless
    #: answered no; a list question (`lines = true`) gives one item per line.
    evidence_item: str | None = Field(default=None, pattern=r"^[a-z][a-z_]*$")

    @field_validator("when", mode="before")
    @classmethod
    def _shorthand(cls, value: Any) -> Any:
        """`when = "meeting_held"` means "when meeting_held is yes"."""
        return {"field": value} if isinstance(value, str) else value

    @model_validator(mode="after")
    def _consistent(self) -> FormField:
        """Options for choices, sane bounds, units only on numbers."""
        if self.type in (FieldType.CHOICE, FieldType.MULTICHOICE) and not self.options:
            raise ValueError(f"{self.key}: a {self.type} question needs options")
        if self.min is not None and self.max is not None and self.min > self.max:
            raise ValueError(f"{self.key}: min is above max")
        if self.unit is not None and self.type is not FieldType.INT:
            raise ValueError(f"{self.key}: only int questions take a unit")
        if self.digest and self.type not in (FieldType.INT, FieldType.YESNO):
            raise ValueError(f"{self.key}: only int and yesno questions are digest figures")
        listed = self.type is FieldType.LONGTEXT and self.lines
        if self.evidence_item is not None and not (self.type is FieldType.YESNO or listed):
            raise ValueError(f"{self.key}: evidence items come from yesno or list questions")
        return self

    @property
    def question_key(self) -> str:
        """The locale key of the question as asked."""
        return self.question or f"report.field.{self.key}.question"

    @property
    def label_key(self) -> str:
        """The locale key of the short label in the summary."""
        return self.label or f"report.field.{self.key}.label"

    @property
    def help_key(self) -> str:
        """The locale key of the help shown by /trogiup."""
        return self.help or f"report.field.{self.key}.help"

    @property
    def column_key(self) -> str:
        """The locale key of its column header in the export."""
        return self.column or f"report.field.{self.key}.column"

    @property
    def digest_key(self) -> str:
        """The locale key of its line in the weekly digest ({value} is the figure)."""
        return f"report.field.{self.key}.digest"

    @property
    def answered_in_chat(self) -> bool:
        """Whether it takes an answer (the photo step keeps photos as evidence instead)."""
        return self.type is not FieldType.PHOTOS

    @property
    def max_length(self) -> int:
        """Longest text accepted (characters; per line for lists)."""
        if self.max is not None:
            return self.max
        return 200 if self.type is FieldType.TEXT or self.lines else 3000

    def option_values(self) -> list[str]:
        """The values a choice question stores."""
        return [o.value for o in self.options]


class CompareRule(_Strict):
    """`field op other` must hold, else the answer is refused. Each side is a question, a sum
    of questions (a list) or, for `other`, a number. With `first_report = true` it holds only
    in a branch's first report (later ones are checked against the one before)."""

    kind: Literal["compare"]
    field: str | tuple[str, ...]
    op: Literal["<=", "<", ">=", ">", "=="]
    other: str | tuple[str, ...] | int
    message: str
    first_report: bool = False

    @property
    def left(self) -> list[str]:
        """The questions summed on the left."""
        return [self.field] if isinstance(self.field, str) else list(self.field)

    @property
    def right(self) -> list[str]:
        """The questions summed on the right (none when it is a number)."""
        if isinstance(self.other, int):
            return []
        return [self.other] if isinstance(self.other, str) else list(self.other)


class DateInPeriodRule(_Strict):
    """The date lies inside the report's month and not after today."""

    kind: Literal["date_in_period"]
    field: str
    message: str = "report.rule.date_in_period"
    future_message: str = "report.rule.date_in_future"


class LineCountRule(_Strict):
    """A list has as many lines as the count given for it."""

    kind: Literal["line_count"]
    field: str
    count: str
    message: str = "report.rule.line_count"


class MemberBalanceRule(_Strict):
    """Members now = last month's + admitted + transferred in − out, or a confirmed reason."""

    kind: Literal["member_balance"]
    field: str
    admitted: str
    transferred_in: str
    transferred_out: str
    code: str = "member_balance"


class FlagRule(_Strict):
    """Unusual but possible: note it for the district, accept the answer."""

    kind: Literal["flag"]
    field: str
    code: str
    above: float | None = None
    below: float | None = None
    # With `of`, `above` and `below` are fractions of that other answer (0.3 = 30 %).
    of: str | None = None
    note: str | None = None

    @model_validator(mode="after")
    def _bounded(self) -> FlagRule:
        """A flag needs a threshold."""
        if self.above is None and self.below is None:
            raise ValueError(f"flag {self.code}: give `above` or `below`")
        return self

    @property
    def note_key(self) -> str:
        """The locale key of the note the district reads."""
        return self.note or f"report.flag.{self.code}"


Rule = Annotated[
    CompareRule | DateInPeriodRule | LineCountRule | MemberBalanceRule | FlagRule,
    Field(discriminator="kind"),
]


class Form(_Strict):
    """The whole form: questions in order, then the rules between them."""

    version: str
    fields: tuple[FormField, ...]
    rules: tuple[Rule, ...] = ()
    #: How far a figure may stray from the branch's history and the district's month.
    history: HistoryThresholds = Field(default_factory=HistoryThresholds)
    #: A district form's own words, by language, laid over the catalogs:
    #: [messages.vi.report.field.trees] question = "…" (so a new question is the form file alone).
    messages: dict[str, dict[str, Any]] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _references(self) -> Form:
        """Keys unique; `when` and rules name questions that exist (and come earlier)."""
        order = {f.key: i for i, f in enumerate(self.fields)}
        if len(order) != len(self.fields):
            raise ValueError("two questions share a key")
        for i, field in enumerate(self.fields):
            if field.when is not None and order.get(field.when.field, i) >= i:
                raise ValueError(f"{field.key}: `when` must name an earlier question")
        for rule in self.rules:
            for name in rule_fields(rule):
                if name not in order:
                    raise ValueError(f"rule {rule.kind} names unknown question {name!r}")
        numbers = {f.key for f in self.fields if f.type is FieldType.INT}
        for table, names in (("floor", self.history.floor), ("rates", self.history.rates)):
            for name in names:
                if name not in numbers:
                    raise ValueError(f"history.{table} names {name!r}, not a number question")
        named = [f.evidence_item for f in self.fields if f.evidence_item]
        if len(named) != len(set(named)) or "general" in named:
            raise ValueError("evidence items need distinct names other than 'general'")
        return self

    def field(self, key: str) -> FormField:
        """The question with this key."""
        return next(f for f in self.fields if f.key == key)

    def has(self, key: str) -> bool:
        """Whether the form has a question with this key."""
        return any(f.key == key for f in self.fields)

    def applicable(self, answers: dict[str, Any]) -> list[FormField]:
        """The questions that apply given the answers so far."""
        return [f for f in self.fields if f.when is None or f.when.holds(answers)]

    def answer_fields(self) -> list[FormField]:
        """The questions whose answers the report stores, in form order (photos aside)."""
        return [f for f in self.fields if f.answered_in_chat]

    def digest_fields(self) -> list[FormField]:
        """The questions the weekly digest shows as figures, in form order."""
        return [f for f in self.fields if f.digest]

    def own_messages(self) -> dict[str, dict[str, str]]:
        """The form's own words as flat catalog keys per language."""
        found: dict[str, dict[str, str]] = {}
        for lang, table in self.messages.items():
            flatten("", table, found.setdefault(lang, {}))
        return found

    def locale_keys(self) -> set[str]:
        """Every message key the form uses (checked against the catalogs by a test)."""
        keys: set[str] = set()
        for f in self.fields:
            keys |= {f.question_key, f.label_key, f.help_key} | {o.label for o in f.options}
            keys |= {f.column_key} if f.answered_in_chat else set()
            keys |= {f.digest_key} if f.digest else set()
            keys |= {f"evidence.item.{f.evidence_item}"} if f.evidence_item else set()
        for rule in self.rules:
            if isinstance(rule, CompareRule | LineCountRule):
                keys.add(rule.message)
            elif isinstance(rule, DateInPeriodRule):
                keys |= {rule.message, rule.future_message}
            elif isinstance(rule, FlagRule):
                keys.add(rule.note_key)
        if self.history.floor or self.history.rates:
            keys |= {f"report.flag.{code}" for code in HISTORY_CODES}
        return keys


def rule_fields(rule: Rule) -> list[str]:
    """The questions a rule reads."""
    if isinstance(rule, CompareRule):
        return rule.left + rule.right
    if isinstance(rule, LineCountRule):
        return [rule.field, rule.count]
    if isinstance(rule, MemberBalanceRule):
        return [rule.field, rule.admitted, rule.transferred_in, rule.transferred_out]
    if isinstance(rule, FlagRule):
        return [rule.field] + ([rule.of] if rule.of else [])
    return [rule.field]


class FormError(ValueError):
    """The form file is unreadable or inconsistent; the message says where."""


def parse_form(text: str, source: str = "form") -> Form:
    """A form from TOML text; raises `FormError` with one readable line."""
    try:
        return Form.model_validate(tomllib.loads(text))
    except tomllib.TOMLDecodeError as exc:
        raise FormError(f"{source}: {exc}") from None
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors()
        )
        raise FormError(f"{source}: {problems}") from None


@lru_cache(maxsize=8)
def load_form(path: Path | None = None) -> Form:
    """The district's form file when configured, else the built-in one."""
    if path is not None:
        return parse_form(Path(path).read_text("utf-8"), str(path))
    text = resources.files("handlers").joinpath("forms", DEFAULT_FORM).read_text("utf-8")
    return parse_form(text, DEFAULT_FORM)


def form_for(settings: Settings) -> Form:
    """The district's form (`reporting.form_file`), or the built-in one."""
    return load_form(settings.reporting.form_file)


def catalog_for(settings: Settings, base: Catalog | None = None) -> Catalog:
    """The message catalogs with the district form's own words laid over them."""
    own = form_for(settings).own_messages()
    catalog = base or Catalog()
    return catalog.with_messages(own) if own else catalog
