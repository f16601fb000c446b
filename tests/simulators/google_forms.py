"""Google Forms: run the built .gs against a FormApp stand-in, then write the form's
Responses download (CSV) from its documented layout.

The download: a ``Timestamp`` column, then one column per item headed by its title; a
grid item has one column per row, headed ``Title [Row]``; an answer is the choice's or
column's label; checkbox answers are joined with ``, ``; the text written beside
"Other:" is written into the answer itself.
"""

from __future__ import annotations

import csv
import io
import json
import shutil
import subprocess
from pathlib import Path

from .common import Respondent, by_text, text_key

MOCK = Path(__file__).with_name("formapp_mock.js")
NODE = shutil.which("node") or shutil.which("nodejs")


def run_script(gs: str, tmp: Path) -> dict:
    """The form the script creates: {"form": ..., "items": [...], "logs": [...]}."""
    assert NODE is not None
    path = tmp / "form.gs"
    path.write_text(gs, encoding="utf-8")
    done = subprocess.run(
        [NODE, str(MOCK), str(path)], capture_output=True, text=True, check=False, timeout=60
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def export_csv(built: dict, survey, respondents: list[Respondent]) -> str:
    questions = by_text(survey)
    items = [i for i in built["items"] if i["type"] not in ("page_break", "section_header")]
    header = ["Timestamp"]
    cols = []  # (question id, item, the member of a member x level grid's column)
    for it in items:
        if it["type"] == "grid" and text_key(it["title"]) in questions:
            # a member x level grid: a column per member (row), the level as the answer
            for row in it["rows"]:
                header.append(f"{it['title']} [{row}]")
                cols.append((questions[text_key(it["title"])].id, it, row))
        elif it["type"] == "grid":
            for row in it["rows"]:
                header.append(f"{it['title']} [{row}]")
                cols.append((questions[text_key(row)].id, it, None))
        else:
            header.append(it["title"])
            cols.append((questions[text_key(it["title"])].id, it, None))
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n", quoting=csv.QUOTE_ALL)
    w.writerow(header)
    for r in respondents:
        day, clock = r.when.replace("-", "/").split(" ")
        row = [f"{day} {clock.lstrip('0')} AM GMT+1"]
        for qid, it, member in cols:
            v = r.answers[qid]
            if isinstance(v, dict):
                v = v.get(member, "")
            if isinstance(v, list):
                known = [x for x in v if x in it["choices"]]
                other = [x for x in v if x not in it["choices"]]
                assert not other or it["other"], (qid, other)
                row.append(", ".join(known + other))
            else:
                v = str(v)
                if it["type"] in ("multiple_choice", "list") and v and v not in it["choices"]:
                    assert it["other"], (qid, v)
                if it["type"] == "grid" and v:
                    assert v in it["columns"], (qid, v)
                row.append(v)
        w.writerow(row)
    return buf.getvalue()
