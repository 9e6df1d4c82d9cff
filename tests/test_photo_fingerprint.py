"""What a photo looks like in 128 bits: the same picture after a chat app, another picture apart."""

from __future__ import annotations

import io
import random
from collections.abc import Sequence
from datetime import timedelta, timezone

import numpy as np
import pytest
from PIL import Image

from bot.media_fingerprint import (
    distance,
    fingerprint,
    frame_box,
    is_near,
    taken_at,
    to_signed,
    to_unsigned,
)
from bot.photo_index import LATE_COMMIT_IDS, NearDuplicateIndex
from tests.support import photo_corpus as corpus

SENT = corpus.decode(corpus.jpeg(corpus.photo(40)))


@pytest.mark.parametrize(
    "change",
    ["resize 50%", "jpeg q30", "crop 5% centred", "border 5% white", "chat re-send (1280 px, q75)"],
)
def test_the_same_picture_after_a_chat_app_is_near(change: str) -> None:
    assert is_near(fingerprint(SENT), fingerprint(corpus.TRANSFORMS[change](SENT)))


def test_another_picture_of_the_same_place_is_not_near() -> None:
    assert not is_near(fingerprint(SENT), fingerprint(corpus.sibling(40)))


def test_a_phone_photo_turned_by_exif_matches_its_upright_resend() -> None:
    """Phones store pixels sideways with an orientation tag; chat apps send them upright."""
    exif = Image.Exif()
    exif[0x0112] = 6  # rotate 90° clockwise to view
    sideways = SENT.transpose(Image.Transpose.ROTATE_90)
    data = corpus.jpeg(sideways, exif=exif.tobytes())
    assert is_near(fingerprint(Image.open(io.BytesIO(data))), fingerprint(SENT))


def test_a_picture_with_nothing_to_recognise_has_no_hashes() -> None:
    blank = fingerprint(Image.new("RGB", (640, 480), (30, 30, 30)))
    assert (blank.phash, blank.dhash) == (None, None)
    assert not is_near(blank, blank)


def test_a_frame_on_opposite_sides_is_cut_but_a_wall_on_one_side_is_not() -> None:
    grey = np.asarray(SENT.convert("L"), dtype=np.float32)
    framed = np.pad(grey, 30, constant_values=255.0)
    h, w = grey.shape
    assert frame_box(framed) == (30, 30, w + 30, h + 30)
    wall = np.concatenate([np.full((80, w), 200.0, dtype=np.float32), grey])
    assert frame_box(wall) == (0, 0, w, h + 80)


def test_camera_date_is_read_with_its_offset_or_in_the_bots_zone() -> None:
    exif = Image.Exif()
    exif.get_ifd(0x8769)[0x9003] = "2026:10:02 07:30:00"
    plain = Image.open(io.BytesIO(corpus.jpeg(SENT, exif=exif.tobytes())))
    moment = taken_at(plain, "Asia/Ho_Chi_Minh")
    assert moment is not None and moment.utcoffset() == timedelta(hours=7) and moment.hour == 7
    exif.get_ifd(0x8769)[0x9011] = "+09:00"  # OffsetTimeOriginal
    tagged = Image.open(io.BytesIO(corpus.jpeg(SENT, exif=exif.tobytes())))
    assert taken_at(tagged, "Asia/Ho_Chi_Minh") == moment.replace(
        tzinfo=timezone(timedelta(hours=9))
    )
    exif.get_ifd(0x8769)[0x9003] = "0000:00:00 00:00:00"  # a camera without a clock
    unset = Image.open(io.BytesIO(corpus.jpeg(SENT, exif=exif.tobytes())))
    assert taken_at(unset, "Asia/Ho_Chi_Minh") is None


def test_hashes_round_trip_through_signed_bigint() -> None:
    for value in (0, 1, 2**63 - 1, 2**63, 2**64 - 1):
        signed = to_signed(value)
        assert -(2**63) <= signed < 2**63 and to_unsigned(signed) == value


class FakeRepo:
    """The committed rows a database would return to the index."""

    def __init__(self) -> None:
        self.rows: dict[int, tuple[int, int]] = {}

    async def read(self, after_id: int, skipped: Sequence[int]) -> list[tuple[int, int, int]]:
        return [(i, *self.rows[i]) for i in sorted(self.rows) if i > after_id or i in skipped]


async def test_index_finds_a_near_duplicate_among_a_hundred_thousand() -> None:
    rng = random.Random(3)
    repo = FakeRepo()
    for i in range(1, 100_001):
        repo.rows[i] = (rng.randrange(-(2**63), 2**63), rng.randrange(-(2**63), 2**63))
    phash, dhash = (to_unsigned(h) for h in repo.rows[77_777])
    near_phash, near_dhash = phash ^ 0b1011, dhash ^ (0b111 << 40)  # 3 bits off each
    assert distance(near_phash, phash) == distance(near_dhash, dhash) == 3
    index = NearDuplicateIndex(repo.read)
    assert await index.candidates(near_phash, near_dhash) == [77_777]
    assert len(index) == 100_000


async def test_index_catches_a_photo_committed_after_a_later_one() -> None:
    """On PostgreSQL a lower id can commit after a higher one: it is asked for until it comes."""
    repo = FakeRepo()
    index = NearDuplicateIndex(repo.read)
    late, other = 0x00FF00FF00FF00FF, 0xFF00FF00FF00FF00  # 64 bits apart
    repo.rows[5] = (to_signed(other), to_signed(other))
    await index.refresh()  # ids 1–4 not committed yet
    repo.rows[3] = (late, late)
    assert await index.candidates(late, late) == [3]
    assert await index.candidates(other, other) == [5]
    assert len(index) == 2


def test_ids_that_never_come_are_not_asked_for_forever() -> None:
    index = NearDuplicateIndex(FakeRepo().read)
    index.absorb([(2, 0, 0)])
    assert index._skipped == {1}
    index.absorb([(LATE_COMMIT_IDS + 10, 0, 0)])
    assert index._skipped and min(index._skipped) > 10, "rolled-back ids age out"
