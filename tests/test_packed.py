"""Compact storage of what reading keeps: packed strings, one-byte scale answers, and
the free text kept only where a report can quote it."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pytest

from relimpact.read import reading
from relimpact.read.packed import PackedBuilder, PackedText
from relimpact.read.readers import PY_WHITESPACE, ArrowText
from relimpact.read.responses import SCALE_BLANK, SCALE_NA, ScaleAnswers
from tests.test_reading import SURVEY, answering

AWKWARD = [
    "",
    "a",
    "café ☕",
    "\x00nul",
    "a\x00",
    "line\nbreak",
    "  spaced  ",
    "\ud800 lone surrogate",
    "x" * 300,
    "2026-11-03 10:15:00",
    "03/11/2026 10:15",
    "Oct 5, 2026",
]


def test_packed_text_reads_back_every_string_as_it_was() -> None:
    packed = PackedText.from_strings(AWKWARD)
    assert len(packed) == len(AWKWARD)
    assert list(packed) == AWKWARD
    assert [packed[i] for i in range(len(AWKWARD))] == AWKWARD
    assert packed[-1] == AWKWARD[-1]
    assert packed == tuple(AWKWARD)
    assert packed != tuple(AWKWARD[:-1])
    assert list(packed[2:5]) == AWKWARD[2:5]
    with pytest.raises(IndexError):
        packed[len(AWKWARD)]


def test_taking_rows_composes_and_copies_no_text() -> None:
    packed = PackedText.from_strings(AWKWARD)
    rows = np.array([5, 0, 2, 2])
    taken = packed.take(rows)
    assert list(taken) == [AWKWARD[i] for i in rows]
    again = taken.take(np.array([3, 1]))
    assert list(again) == [AWKWARD[2], AWKWARD[0]]
    assert again.nonempty().tolist() == [True, False]
    assert taken.nbytes < packed.nbytes + 64


def test_the_builder_takes_arrow_buffers_as_the_strings_they_hold() -> None:
    values = [v for v in AWKWARD if "\ud800" not in v]  # Arrow holds valid UTF-8 only
    b = PackedBuilder()
    array = pa.array(values, pa.string())
    b.add_arrow(array)
    b.add_arrow(array.slice(2, 3))  # an array with an offset into its buffers
    b.add_blank(2)
    b.add_strings(["tail"])
    assert list(b.build()) == [*values, *values[2:5], "", "", "tail"]


def test_heads_are_the_first_characters_and_odd_rows_are_flagged() -> None:
    packed = PackedText.from_strings(AWKWARD)
    codes, heads, odd = packed.heads(12)
    for i, text in enumerate(AWKWARD):
        is_odd = not text[:12].isascii() or "\x00" in text[:12]
        assert bool(odd[i]) == is_odd
        if not is_odd:
            assert heads[codes[i]] == text[:12]


def test_equal_strings_hash_alike_and_short_and_long_ones_both_hash() -> None:
    values = ["nh-1", "nh-2", "nh-1", "", "y" * 500, "y" * 500, "y" * 499 + "z", "a", "a\x00"]
    h = PackedText.from_strings(values).hashes()
    assert h[0] == h[2] and h[4] == h[5]
    assert len({int(x) for x in h[[0, 1, 3, 4, 6, 7, 8]]}) == 7


def test_repeated_keys_are_compared_as_strings_even_when_all_hashes_collide(monkeypatch) -> None:  # noqa: ANN001
    keys = PackedText.from_strings(["a", "b", "a", "", "", "c", "b", "a"])
    keep = np.ones(len(keys), bool)
    assert reading._repeated_keys(keys, keep) == [[0, 2, 7], [1, 6]]
    monkeypatch.setattr(PackedText, "hashes", lambda self: np.zeros(len(self), np.uint64))
    assert reading._repeated_keys(keys, keep) == [[0, 2, 7], [1, 6]]
    keep[7] = False
    assert reading._repeated_keys(keys, keep) == [[0, 2], [1, 6]]


def test_python_whitespace_is_every_code_point_str_strip_removes() -> None:
    assert "".join(chr(c) for c in range(0x110000) if chr(c).isspace()) == PY_WHITESPACE
    cells = ["", " ", "\x1c\u3000", " a ", "\u200b", "b"]
    filled = ArrowText(pa.array(cells, pa.string())).filled()
    assert filled.tolist() == [bool(c.strip()) for c in cells]


def test_scale_answers_give_float32_values_and_not_applicable() -> None:
    codes = np.array([0, 4, SCALE_BLANK, SCALE_NA, 2], np.uint8)
    answers = ScaleAnswers({"q": (codes, 1)})
    v = answers["q"]
    assert v.dtype == np.float32
    assert v[:2].tolist() == [1.0, 5.0] and v[4] == 3.0
    assert np.isnan(v[2]) and np.isnan(v[3])
    assert answers.not_applicable()["q"].tolist() == [False, False, False, True, False]
    assert list(answers) == ["q"] and "q" in answers and len(answers) == 1


def test_read_scale_answers_are_one_byte_each_and_read_as_before(tmp_path) -> None:  # noqa: ANN001
    path = tmp_path / "r.csv"
    path.write_text(
        "lead_voice,lead_few\nAgree,Disagree\nStrongly agree,\n,Strongly disagree\n",
        encoding="utf-8",
    )
    rs = reading.read_responses(answering("lead_voice", "lead_few"), [path])
    assert isinstance(rs.scale, ScaleAnswers)
    assert rs.scale.codes("lead_voice")[0].dtype == np.uint8
    assert np.allclose(rs.scale["lead_voice"], [4, 5, np.nan], equal_nan=True)


QUOTED = """\
story,quote_ok,lead_voice
We met at the spring gathering,Yes,Agree
I found a mentor here,No,Agree
,Yes,Agree
Only text and no consent answer,,
"""


def _quote_survey():  # noqa: ANN202
    return answering("story", "quote_ok", "lead_voice", survey=SURVEY)


@pytest.mark.parametrize("arrow", [False, True])
def test_keep_text_quotable_keeps_only_answers_their_writers_let_us_quote(
    tmp_path,
    monkeypatch,
    arrow: bool,  # noqa: ANN001
) -> None:
    from relimpact.read import readers

    if arrow:
        monkeypatch.setattr(readers, "FAST_PATH_BYTES", 0)
    survey = _quote_survey()
    assert survey.question("story").quotable and survey.consent_question is not None
    path = tmp_path / "r.csv"
    path.write_text(QUOTED, encoding="utf-8")
    everything = reading.read_responses(survey, [path])
    quotable = reading.read_responses(survey, [path], keep_text="quotable")
    none = reading.read_responses(survey, [path], keep_text="none")
    assert list(everything.text["story"]) == [
        "We met at the spring gathering",
        "I found a mentor here",
        "",
        "Only text and no consent answer",
    ]
    assert list(quotable.text["story"]) == ["We met at the spring gathering", "", "", ""]
    assert "story" not in none.text
    assert list(none.known_names) == []
    # the same rows count as answered (a text answer alone is not an empty submission)
    assert everything.respondents == quotable.respondents == none.respondents == 4


def test_keep_text_must_be_one_of_its_values(tmp_path) -> None:  # noqa: ANN001
    path = tmp_path / "r.csv"
    path.write_text("lead_voice\nAgree\n", encoding="utf-8")
    with pytest.raises(ValueError, match="keep_text"):
        reading.read_responses(answering("lead_voice"), [path], keep_text="some")


def test_a_large_file_not_utf8_past_its_first_megabyte_is_read_as_windows_1252(
    tmp_path,
    monkeypatch,  # noqa: ANN001
) -> None:
    from relimpact.read import readers

    monkeypatch.setattr(readers, "FAST_PATH_BYTES", 0)  # Arrow is tried on it
    path = tmp_path / "r.csv"
    rows = "Agree,Disagree\n" * 80_000  # more than a megabyte of ASCII first
    path.write_bytes(b"lead_voice,role_note\n" + rows.encode() + b"Agree,caf\xe9\n")
    table = readers.open_table(path, trust_utf8=True)
    assert table.encoding == "utf-8" and not table.encoding_checked
    assert readers.open_table(path).encoding == "cp1252"
    rs = reading.read_responses(answering("lead_voice"), [path])
    assert rs.files[0].encoding == "cp1252"
    assert rs.respondents == 80_001


def test_a_file_with_a_byte_no_encoding_reads_is_refused_naming_its_line(
    tmp_path,
    monkeypatch,  # noqa: ANN001
) -> None:
    from relimpact.read import readers

    monkeypatch.setattr(readers, "FAST_PATH_BYTES", 0)
    path = tmp_path / "r.csv"
    rows = "Agree\n" * 200_000
    path.write_bytes(b"lead_voice\n" + rows.encode() + b"Agree\x81\n")
    with pytest.raises(reading.ResponseError, match="line 200002"):
        reading.read_responses(answering("lead_voice"), [path])
