"""The photo-matching rule keeps the rates the README documents (How reports are checked → Photos).

bench/photo_threshold.py measures them on 240 generated photos; this test replays its first 24
(every transform) so that a change to the hashing or the limits cannot lower them unnoticed.
"""

from __future__ import annotations

import numpy as np

from bot.media_fingerprint import DHASH_LIMIT, PHASH_LIMIT
from tests.support.photo_corpus import build, distances, matched

#: As written in the README, from bench/photo_threshold.py.
DOCUMENTED_TRUE_MATCH = 0.971
DOCUMENTED_FALSE_MATCH = 0.0  # none in 3.6 million pairs of different photos
SAMPLE = 24


def test_matching_rule_keeps_the_documented_rates() -> None:
    first, resent, siblings, _ = build(SAMPLE, 0)
    rule = (PHASH_LIMIT, DHASH_LIMIT)
    changed = resent[1:]  # every transform but "same file"
    true_rate = matched(distances(changed, first[None]), rule).mean()
    others = distances(np.concatenate([changed, first[None]])[:, :, None], first[None, None])
    own = np.broadcast_to(np.eye(SAMPLE, dtype=bool), others.shape[:3])
    false_rate = (matched(others, rule) & ~own).sum() / (~own).sum()
    assert true_rate >= DOCUMENTED_TRUE_MATCH, f"true-match rate {true_rate:.1%}"
    assert false_rate <= DOCUMENTED_FALSE_MATCH, f"false-match rate {false_rate:.2e}"
    assert not matched(distances(siblings, first), rule).any(), "another photo of the same place"
