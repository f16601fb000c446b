"""Fuzz: mutated real exports never crash relimpact (issue 12, "Must show").

Hypothesis mutates real files (``tests/fixtures/exports/*`` and the tools' own exports in
``../shared/real-exports/``): bytes flipped, inserted, deleted, repeated or cut; quotes,
delimiters, line ends and byte-order marks planted; the text re-encoded; and, for an
.xlsx, the XML parts inside the ZIP mutated, dropped or stored uncompressed. Every case
must end in a result or a ``RelimpactError`` (the CLI's exit 0 or 1), never any other
exception, and stay under 1 GB (the process's peak) and 20 s (Hypothesis' deadline).

In CI the run is derandomised (the same cases every time) and bounded to about a minute:
``RELIMPACT_FUZZ_EXAMPLES`` in-process cases (default 150) through the library, as the
CLI calls it, and a sample of ``RELIMPACT_FUZZ_SUBPROCESS`` cases (default 6) through the
real command line in a fresh process under ``RLIMIT_AS`` = 1 GiB and a 20 s timeout.
The long run by hand (see the README) is
``RELIMPACT_FUZZ_EXAMPLES=100000 pytest tests/test_fuzz.py -k in_process -p no:cacheprovider``.
"""

from __future__ import annotations

import io
import os
import resource
import subprocess
import sys
import zipfile
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from relimpact.common.errors import RelimpactError
from relimpact.read.readers import open_table
from relimpact.read.reading import inspect_responses, read_responses
from relimpact.survey.model import Question, Survey
from tests.conftest import FIXTURES, ROOT
from tests.test_reading import SURVEY

REAL = ROOT.parent / "shared" / "real-exports"
EXAMPLES = int(os.environ.get("RELIMPACT_FUZZ_EXAMPLES", "150"))
SUBPROCESS = int(os.environ.get("RELIMPACT_FUZZ_SUBPROCESS", "6"))
LONG_RUN = "RELIMPACT_FUZZ_EXAMPLES" in os.environ
GIB = 1024**3

FIXTURE_FILES = sorted(p for p in (FIXTURES / "exports").iterdir() if p.suffix != ".py")
REAL_FILES = sorted(p for p in REAL.rglob("*") if p.suffix in (".csv", ".tsv", ".xlsx"))


def test_the_real_exports_are_there():
    """The fuzz corpus includes the tools' own files: missing is a failure, not a skip."""
    assert len(REAL_FILES) >= 10, f"real exports missing from {REAL}"
    assert len(FIXTURE_FILES) >= 10


def _header_survey(path: Path) -> Survey:
    """A survey of one text question per column of a real export (its first 20)."""
    table = open_table(path)
    questions: list[Question] = []
    seen: set[str] = set()
    for h in table.headers[: table.content_width]:
        if not h.label or h.label.casefold() in seen:
            continue
        seen.add(h.label.casefold())
        questions.append(Question(f"c{h.index}", h.label, type="text"))
        if len(questions) == 20:
            break
    return Survey(id="fuzz", title="Fuzz", questions=tuple(questions))


def _as_yaml(survey: Survey) -> dict:
    """The survey as survey.yaml would write it, for the command line."""
    data: dict = {"relimpact": 1, "id": survey.id, "title": survey.title, "questions": []}
    if survey.scales:
        data["scales"] = {
            s.id: {
                "points": {v: lab for v, lab in s.points},
                "not_applicable": list(s.not_applicable),
                **({"favourable_from": s.favourable_from} if s.favourable_from else {}),
            }
            for s in survey.scales.values()
        }
        data["dimensions"] = {
            q.dimension: {"label": q.dimension.replace("_", " ").capitalize(), "enabler": True}
            for q in survey.questions
            if q.dimension is not None
        }
    for q in survey.questions:
        item: dict = {"id": q.id, "text": q.text, "type": q.type}
        if q.scale:
            item.update(scale=q.scale, dimension=q.dimension, reverse=q.reverse)
        if q.options:
            item["options"] = list(q.options)
        if q.segment:
            item["segment"] = True
        data["questions"].append(item)
    return data


def _validated(survey: Survey) -> Survey:
    """The survey written out as survey.yaml and loaded back, validated like any other."""
    import tempfile

    import yaml

    from relimpact.survey.load import load_survey

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "survey.yaml"
        path.write_text(yaml.safe_dump(_as_yaml(survey), allow_unicode=True), encoding="utf-8")
        return replace(load_survey(path), source=None)


def _start(path: Path, limit: int = 48 * 1024) -> bytes:
    """A real CSV export's first records, its bytes as they are: cut at a line end outside
    quotes, so a mutated case is read in milliseconds. An .xlsx is taken whole."""
    data = path.read_bytes()
    if path.suffix == ".xlsx" or len(data) <= limit:
        return data
    end = limit
    while end > 0:
        end = data.rfind(b"\n", 0, end)
        if end > 0 and data.count(b'"', 0, end) % 2 == 0:
            return data[: end + 1]
    return data[:limit]


# rcs2019-english.xlsx (470 KB packed, 3 MB of sheet XML) takes seconds per case: it is
# read whole in test_real_xlsx_exports_are_within_the_limits, not mutated here.
SLOW = {"rcs2019-english.xlsx"}

CORPUS: list[tuple[str, bytes, Survey]] = [
    *((p.name, p.read_bytes(), _validated(SURVEY)) for p in FIXTURE_FILES),
    *((p.name, _start(p), _validated(_header_survey(p))) for p in REAL_FILES if p.name not in SLOW),
]

TOKENS = (
    b'"',
    b'""',
    b'"\n"',
    b",",
    b";",
    b"\t",
    b"\n",
    b"\r\n",
    b"\r",
    b"\n\n",
    b"\x00",
    b"\xef\xbb\xbf",
    b"\xff\xfe",
    b"\xc3",
    b"\xe2\x80\x99",
    b"\x1b[2J",
    b"[/x]",
    b"=HYPERLINK(1)",
    b"," * 300,
    b"Strongly agree",
    b"Don't know",
    b"-99",
    b"1e308",
    b"<!DOCTYPE x [<!ENTITY a 'a'>]>",
    b"<c r='A1'><v>x</v></c>",
    b"</row>",
    b"&lol;",
)


@st.composite
def mutated_bytes(draw: st.DrawFn, data: bytes) -> bytes:
    """One to four mutations of a file's bytes."""
    out = bytearray(data)
    for _ in range(draw(st.integers(1, 4))):
        n = len(out)
        at = draw(st.integers(0, max(n - 1, 0)))
        kind = draw(
            st.sampled_from(
                ("flip", "insert", "token", "delete", "repeat", "cut", "swap-delim", "eol")
            )
        )
        if kind == "flip" and n:
            out[at] = draw(st.integers(0, 255))
        elif kind == "insert":
            out[at:at] = draw(st.binary(min_size=1, max_size=16))
        elif kind == "token":
            out[at:at] = draw(st.sampled_from(TOKENS))
        elif kind == "delete":
            del out[at : at + draw(st.integers(1, 64))]
        elif kind == "repeat":
            piece = bytes(out[at : at + draw(st.integers(1, 256))])
            out[at:at] = piece * draw(st.integers(1, 8))
        elif kind == "cut":
            del out[at:]
        elif kind == "swap-delim":
            a, b = draw(st.sampled_from([(b",", b";"), (b";", b","), (b",", b"\t"), (b'"', b"'")]))
            out = bytearray(bytes(out).replace(a, b))
        elif kind == "eol":
            a, b = draw(st.sampled_from([(b"\n", b"\r\n"), (b"\r\n", b"\n"), (b"\n", b"\r")]))
            out = bytearray(bytes(out).replace(a, b))
    return bytes(out)


@st.composite
def mutated_text(draw: st.DrawFn, data: bytes) -> bytes:
    """The text re-encoded as Excel and other tools might (UTF-16, cp1252, a BOM)."""
    text = data.decode("utf-8", errors="replace")
    encoding = draw(st.sampled_from(("utf-16", "utf-16-le", "cp1252", "utf-8-sig", "latin-1")))
    return text.encode(encoding, errors="replace")


@st.composite
def mutated_xlsx(draw: st.DrawFn, data: bytes) -> bytes:
    """The XML parts of an .xlsx mutated, dropped, duplicated or stored uncompressed."""
    with zipfile.ZipFile(io.BytesIO(data)) as src:
        parts = [(i.filename, src.read(i.filename)) for i in src.infolist()]
    for _ in range(draw(st.integers(1, 3))):
        k = draw(st.integers(0, len(parts) - 1))
        name, body = parts[k]
        kind = draw(st.sampled_from(("mutate", "mutate", "mutate", "drop", "empty", "rename")))
        if kind == "mutate":
            parts[k] = (name, draw(mutated_bytes(body)))
        elif kind == "drop" and len(parts) > 1:
            del parts[k]
        elif kind == "empty":
            parts[k] = (name, b"")
        elif kind == "rename":
            parts[k] = (name + draw(st.sampled_from(("x", ".bak", "/"))), body)
    stored = draw(st.booleans())
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED) as z:
        for name, body in parts:
            try:
                z.writestr(name, body)
            except ValueError:  # a name zipfile will not write (e.g. a duplicate folder)
                continue
    return buf.getvalue()


@st.composite
def cases(draw: st.DrawFn) -> tuple[str, bytes, Survey]:
    name, data, survey = draw(st.sampled_from(CORPUS))
    if name.endswith(".xlsx"):
        mutation = draw(st.sampled_from((mutated_xlsx, mutated_xlsx, mutated_bytes)))
    else:
        mutation = draw(st.sampled_from((mutated_bytes, mutated_bytes, mutated_text)))
    return name, draw(mutation(data)), survey


def read_and_score(path: Path, survey: Survey, full: bool = True) -> int:
    """What ``inspect`` and ``score`` do with one file: 0 read, 1 refused. Not ``full``:
    only what ``read_responses`` does (the long run's throughput path)."""
    from relimpact.console.inspect import inspect_json, inspect_table
    from relimpact.console.score import to_json, to_table
    from relimpact.console.terminal import PlainConsole
    from relimpact.scoring.engine import score

    try:
        if not full:
            read_responses(survey, [path])
            return 0
        ins = inspect_responses(survey, [path])
        inspect_json(ins)
        PlainConsole(file=io.StringIO(), width=100).print(inspect_table(ins))
        responses = read_responses(survey, [path])
        result = score(responses)
        to_json(result)
        PlainConsole(file=io.StringIO(), width=100).print(to_table(result))
    except RelimpactError as e:
        str(e)  # the message itself must be buildable
        return 1
    return 0


OUTCOMES = {0: 0, 1: 0}
FOLDER: dict[str, Path] = {}


@settings(
    max_examples=EXAMPLES,
    derandomize=not LONG_RUN,
    database=None,
    deadline=timedelta(seconds=20),
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    print_blob=True,
)
@given(case=cases())
def test_fuzz_in_process_never_crashes(tmp_path_factory, case):
    name, data, survey = case
    folder = FOLDER.setdefault("in-process", tmp_path_factory.mktemp("fuzz"))
    path = folder / name
    path.write_bytes(data)
    try:
        full = not LONG_RUN or sum(OUTCOMES.values()) % 25 == 0
        OUTCOMES[read_and_score(path, survey, full)] += 1
    finally:
        path.unlink()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # KiB on Linux
    assert peak < GIB, f"peak memory {peak:,} bytes"
    if LONG_RUN and sum(OUTCOMES.values()) % 5000 == 0:
        sys.stderr.write(f"\nfuzz: {OUTCOMES[0]:,} read, {OUTCOMES[1]:,} refused\n")


def _limits() -> None:  # in the child, before exec
    resource.setrlimit(resource.RLIMIT_AS, (GIB, GIB))


@settings(
    max_examples=SUBPROCESS,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(case=cases())
def test_fuzz_command_line_exits_0_or_1_within_limits(tmp_path_factory, case):
    import yaml

    name, data, survey = case
    folder = tmp_path_factory.mktemp("fuzzcli", numbered=True)
    path = folder / name
    path.write_bytes(data)
    survey_file = folder / "survey.yaml"
    survey_file.write_text(yaml.safe_dump(_as_yaml(survey), allow_unicode=True))
    env = {**os.environ, "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1"}
    r = subprocess.run(
        [sys.executable, "-m", "relimpact", "score", survey_file, path, "--format", "json"],
        capture_output=True,
        text=True,
        timeout=20,
        preexec_fn=_limits,
        env=env,
    )
    assert r.returncode in (0, 1), r.stderr[-2000:]
    assert "Traceback" not in r.stderr, r.stderr[-2000:]
    if r.returncode == 1:
        assert r.stderr.startswith("Error: ") and r.stdout == ""
