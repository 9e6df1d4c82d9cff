"""The package metadata stays installable by the setuptools releases a fresh clone gets."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

PYPROJECT = Path(__file__).resolve().parents[1] / "pyproject.toml"


def test_license_is_an_spdx_expression_not_the_deprecated_table() -> None:
    """setuptools stops accepting `license = { text = … }` after 2027-02-18 (PEP 639)."""
    project = tomllib.loads(PYPROJECT.read_text(encoding="utf-8"))
    license_ = project["project"]["license"]
    assert isinstance(license_, str) and re.fullmatch(r"[A-Za-z0-9.\-+ ()]+", license_)
    requires = project["build-system"]["requires"]
    floor = next(r for r in requires if r.startswith("setuptools>="))
    assert int(floor.removeprefix("setuptools>=").split(".")[0]) >= 77  # PEP 639 support
