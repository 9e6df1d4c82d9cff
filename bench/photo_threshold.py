"""Prints how well photo matching tells "the same picture" from "another picture", per rule.

The test set is drawn, not downloaded (tests/support/photo_corpus.py): N synthetic photos, each
"sent" once as a JPEG and then again after each transform a chat app or a person applies
(resize, JPEG quality 30–60, 5 % crop, borders, combinations). True matches: a re-send against
its own first send. False matches: a re-send or a first send against every other photo, plus
each photo against a "sibling" (another photo of the same place: same background and size).
Usage: .venv/bin/python bench/photo_threshold.py [--originals 240] [--extra 760]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bot.media_fingerprint import DHASH_LIMIT, PHASH_LIMIT
from tests.support.photo_corpus import TRANSFORMS, build, distances, matched

# (pHash limit, dHash limit or None): the rules compared; the chosen one is marked.
RULES: list[tuple[int, int | None]] = [
    (6, None),
    (8, None),
    (10, None),
    (12, None),
    (14, None),
    (10, 11),
    (12, 13),
    (PHASH_LIMIT, DHASH_LIMIT),
    (14, 15),
    (14, 17),
]


def upper_bound(hits: int, pairs: int) -> float:
    """A 95 % upper bound on a rate seen as hits/pairs (3/n when nothing was seen)."""
    return (hits + 3 * max(1.0, hits**0.5)) / pairs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--originals", type=int, default=240)
    parser.add_argument("--extra", type=int, default=760, help="photos used only as negatives")
    args = parser.parse_args()
    started = time.perf_counter()
    first, resent, siblings, extra = build(args.originals, args.extra)
    n = len(first)
    names = [name for name in TRANSFORMS if name != "same file"]
    changed = resent[1:]  # (transforms, n, 2) without "same file"
    true_d = distances(changed, first[None])
    everyone = np.concatenate([first, extra])
    # Every re-send and every first send against every other photo (not its own original).
    probes = np.concatenate([changed.reshape(-1, 2), first])
    owner = np.concatenate([np.tile(np.arange(n), len(names)), np.arange(n)])
    false_d = distances(probes[:, None], everyone[None])
    own = owner[:, None] == np.arange(len(everyone))[None]
    sibling_d = distances(siblings, first)
    pairs = int((~own).sum())
    print(
        f"{n} photos × {len(names)} transforms = {changed.shape[0] * n} true pairs; "
        f"{pairs:,} false pairs ({len(everyone)} photos); {n} sibling pairs; "
        f"{time.perf_counter() - started:.0f} s"
    )
    print(
        f"\n{'rule':<24} {'true match':>10} {'false match':>12} {'95% bound':>10} {'siblings':>9}"
    )
    for rule in RULES:
        tmr = matched(true_d, rule).mean()
        false_hits = int((matched(false_d, rule) & ~own).sum())
        sib = int(matched(sibling_d, rule).sum())
        mark = " ← chosen" if rule == (PHASH_LIMIT, DHASH_LIMIT) else ""
        label = f"pHash ≤ {rule[0]}" + (f", dHash ≤ {rule[1]}" if rule[1] is not None else "")
        bound = upper_bound(false_hits, pairs)
        print(
            f"{label:<24} {tmr:>10.1%} {false_hits:>6}/{pairs:<,} {bound:>9.1e} {sib:>4}/{n}{mark}"
        )
    chosen = (PHASH_LIMIT, DHASH_LIMIT)
    print(f"\nchosen rule, per transform (pHash ≤ {PHASH_LIMIT}, dHash ≤ {DHASH_LIMIT}):")
    for index, name in enumerate(names):
        d = true_d[index]
        rate = matched(d, chosen).mean()
        print(
            f"  {name:<30} {rate:>7.1%}   pHash mean {d[:, 0].mean():4.1f} max {d[:, 0].max():2d}"
        )
    closest = false_d[..., 0][~own].min()
    print(f"closest different photos: pHash {closest} bits; siblings {sibling_d[:, 0].min()} bits")


if __name__ == "__main__":
    main()
