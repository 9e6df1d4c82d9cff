"""How far a figure may stray from the branch's own history and from the district's month before
it is a doubt: the `[history]` table of the form file, with a district's own overrides.

```toml
[history]
months = 6                 # past sent reports read (the last 6 months)
min_months = 3             # own months needed before a figure is compared with them
spread = 5.0               # robust width: a figure this many (scaled) MADs from the median …
ratio = 2.5                # … and more than 2.5 × the median (or under it ÷ 2.5) is a doubt
district_min_reports = 8   # the district's month is compared once this many others reported
district_ratio = 3.0       # per member: above 3 × the district's 90th percentile is a doubt
copy_min_chars = 20        # free text shorter than this (normalised) is never called a copy

[history.floor]            # the figures compared, each with a slack in its own unit
admitted = 3

[history.rates]            # figures compared per member with the district, each with a slack
one_plus_one = 10

[history.district.PH]      # Huyện đoàn PH's own values (any key above but floor/rates/district)
ratio = 3.0
```
"""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, model_validator

Months = Annotated[int, Field(ge=1, le=24)]
Spread = Annotated[float, Field(gt=0, le=100)]
Ratio = Annotated[float, Field(gt=1, le=1000)]
Reports = Annotated[int, Field(ge=2, le=10_000)]
Chars = Annotated[int, Field(ge=1, le=3000)]
Slack = Annotated[int, Field(ge=0)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class DistrictThresholds(_Strict):
    """A district's own values; what it leaves out comes from `[history]`."""

    months: Months | None = None
    min_months: Months | None = None
    spread: Spread | None = None
    ratio: Ratio | None = None
    district_min_reports: Reports | None = None
    district_ratio: Ratio | None = None
    copy_min_chars: Chars | None = None


class HistoryThresholds(_Strict):
    """The thresholds of the history checks (see the module's docstring for each key)."""

    months: Months = 6
    min_months: Months = 3
    spread: Spread = 5.0
    ratio: Ratio = 2.5
    district_min_reports: Reports = 8
    district_ratio: Ratio = 3.0
    copy_min_chars: Chars = 20
    floor: dict[str, Slack] = Field(default_factory=dict)
    rates: dict[str, Slack] = Field(default_factory=dict)
    district: dict[str, DistrictThresholds] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _consistent(self) -> HistoryThresholds:
        """`min_months` never above `months`, for the form's values and every district's."""
        for code in ["", *self.district]:
            merged = self.for_district(code)
            if merged.min_months > merged.months:
                where = f"district.{code}: " if code else ""
                raise ValueError(f"{where}min_months ({merged.min_months}) is above months")
        return self

    def for_district(self, code: str | None) -> HistoryThresholds:
        """The values for Huyện đoàn `code`: its own where it gives them, else the form's."""
        own = self.district.get(code or "")
        if own is None:
            return self
        return self.model_copy(update=own.model_dump(exclude_none=True))
