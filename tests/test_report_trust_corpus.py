"""Reports the district can trust, measured on a corpus (tests/support/trust_corpus.py) typed
through the engine: at least 95 % of the bad reports caught (refused, warned or flagged), no
valid report blocked, at most 10 % of the valid-but-unusual ones warned or flagged."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support.harness import Harness
from tests.support.trust_corpus import BAD, VALID
from tests.support.trust_driver import NOW, figures, org_file, run_case


def test_the_corpus_is_large_enough() -> None:
    assert len(BAD) >= 60 and len(VALID) >= 20
    assert len({c.name for c in BAD + VALID}) == len(BAD) + len(VALID), "names tell cases apart"


async def test_bad_reports_are_caught_and_valid_ones_go_through_quietly(
    db_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cases = [*BAD, *VALID]
    harness = Harness(db_url, tmp_path / "data", now=NOW)
    try:
        await harness.import_org(org_file(cases, tmp_path))
        outcomes = [await run_case(harness, case, n) for n, case in enumerate(cases, start=1)]
    finally:
        await harness.close()
    caught, blocked, noisy = figures(outcomes)
    missed = [o.case.name for o in outcomes if o.case.bad and not o.seen]
    blocked_names = [o.case.name for o in outcomes if not o.case.bad and not o.sent]
    noisy_names = [o.case.name for o in outcomes if not o.case.bad and (o.warned or o.flagged)]
    with capsys.disabled():  # the three figures show in every run's log, passed or not
        print(
            f"\ntrust corpus: {len(BAD)} bad, {len(VALID)} valid — bad caught {caught:.1%}, "
            f"valid blocked {blocked}, valid flagged {noisy:.1%}"
            f"\n  missed: {missed}\n  blocked: {blocked_names}\n  flagged: {noisy_names}"
        )
    assert caught >= 0.95, f"bad reports missed: {missed}"
    assert blocked == 0, f"valid reports blocked: {blocked_names}"
    assert noisy <= 0.10, f"valid reports warned or flagged: {noisy_names}"
