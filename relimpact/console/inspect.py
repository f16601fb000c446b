"""What ``relimpact inspect`` shows: how each file was read, and what is wrong with it."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from rich.console import RenderableType

    from relimpact.read.reading import Inspection


def inspect_dict(ins: Inspection) -> dict[str, Any]:
    from relimpact.common.text import ECHO_LIMIT, clip, excerpt

    by_question: dict[str, list[dict[str, Any]]] = {}
    for m in ins.matches:
        by_question.setdefault(m.question, []).append(
            {"file": m.file, "column": m.column, "index": m.index}
        )
    return {
        "schema": "relimpact.inspect/1",
        "survey": {"id": ins.survey.id, "title": ins.survey.title},
        "ok": ins.ok,
        "files": [
            {
                "path": f.path,
                "format": f.format,
                "encoding": f.encoding,
                "delimiter": f.delimiter,
                "header_rows": f.header_rows,
                "quoting": f.quoting,
                "language": f.language or None,
                "unzipped": f.source == "zip",
                "rows": f.rows,
                "left_out": ins.left_out.get(f.path, {}),
            }
            | ({"sheet": f.sheet} if f.sheet else {})
            for f in ins.files
        ],
        "rows": ins.rows,
        "respondents": ins.respondents,
        "questions": {
            q.id: {"type": q.type, "columns": by_question.get(q.id, [])}
            | _use(ins, q.id)
            | (
                {"nearest_headers": list(ins.nearest.get(q.id, ()))}
                if q.id not in by_question
                else {}
            )
            for q in ins.survey.questions
        },
        "unmatched_questions": list(ins.unmatched_questions),
        "ignored_columns": [
            {"file": i.file, "column": i.column, "reason": i.reason} for i in ins.ignored
        ],
        "problems": [str(p) for p in ins.column_problems]
        + [
            {
                "file": p.file,
                "column": p.column,
                "value": excerpt(p.value, ECHO_LIMIT),
                "count": p.count,
                "rows": list(p.rows),
                "message": clip(p.message),
            }
            | ({"sheet": p.sheet} if p.sheet else {})
            for p in ins.problems
        ],
        "warnings": list(ins.warnings),
    }


def _use(ins: Inspection, qid: str) -> dict[str, int]:
    """How many cells were read through export codes, and how many were write-ins (counts
    only: a write-in's text is never shown)."""
    use = ins.answer_use.get(qid, {})
    out = {}
    if use.get("code"):
        out["read_through_codes"] = use["code"]
    if use.get("other"):
        out["write_ins"] = use["other"]
    return out


def _detected(f: Any) -> str:
    """What was detected about a file's text, in words."""
    parts = []
    if f.sheet:
        parts.append(f'sheet "{f.sheet}"')
    if f.source == "zip":
        parts.append("unzipped")
    if f.language:
        parts.append(f"metadata in {LANGUAGES.get(f.language, f.language)}")
    if not f.quoting:
        parts.append("no quoting")
    return ", ".join(parts) or "-"


LANGUAGES = {
    "en": "English",
    "de": "German",
    "fr": "French",
    "es": "Spanish",
    "nl": "Dutch",
    "it": "Italian",
    "pt": "Portuguese",
    "cy": "Welsh",
}


def inspect_json(ins: Inspection) -> str:
    from relimpact.common.text import json_terminal_safe

    text = json.dumps(inspect_dict(ins), indent=2, ensure_ascii=False)
    return json_terminal_safe(text) + "\n"


def _here(warning: str) -> str:
    """A warning as inspect shows it: the ignored columns it points to are in the table
    above, not in another run of 'relimpact inspect'."""
    from relimpact.read.reading import SEE_IGNORED, SEE_IGNORED_ABOVE

    return warning.replace(SEE_IGNORED, SEE_IGNORED_ABOVE)


def inspect_table(ins: Inspection) -> RenderableType:
    from rich.console import Group
    from rich.table import Table
    from rich.text import Text

    from relimpact.common.text import clip, printable
    from relimpact.console.terminal import plain
    from relimpact.read.reading import as_problem

    parts: list[RenderableType] = []
    files = Table(title="Files", title_justify="left")
    for col in ("file", "format", "encoding", "delimiter", "header rows", "rows"):
        files.add_column(col, justify="right" if col in ("header rows", "rows") else "left")
    notes = []
    for f in ins.files:
        files.add_row(
            f.path,
            f.format,
            f.encoding,
            repr(f.delimiter) if f.delimiter else "-",
            str(f.header_rows),
            f"{f.rows:,}",
        )
        said = [] if _detected(f) == "-" else [_detected(f)]
        out = ins.left_out.get(f.path, {})
        said += [f"{n:,} {why}{'s' if n != 1 else ''} left out" for why, n in out.items()]
        if said:
            notes.append(Text(f"{f.path}: " + "; ".join(said) + "."))
    parts.append(files)
    parts.extend(notes)
    parts.append(Text(f"{ins.rows:,} rows read; {ins.respondents:,} respondents kept for scoring."))

    qt = Table(title="Questions and the columns they are read from", title_justify="left")
    qt.add_column("question", style="bold")
    qt.add_column("type")
    qt.add_column("column")
    by_question: dict[str, list[str]] = {}
    several = len(ins.files) > 1
    for m in ins.matches:
        where = f"{m.file}: {m.column}" if several else m.column
        by_question.setdefault(m.question, []).append(where)
    for q in ins.survey.questions:
        cols = by_question.get(q.id)
        shown: RenderableType
        if cols:
            shown = "\n".join(printable(c) for c in cols)
        else:
            near = ins.nearest.get(q.id, ())
            shown = Text("no column found", style="yellow")
            if near:
                shown.append(
                    "\nnearest: " + "; ".join(f'"{clip(printable(h), 120)}"' for h in near)
                )
        use = _use(ins, q.id)
        if use:
            notes = []
            if "read_through_codes" in use:
                notes.append(f"{use['read_through_codes']:,} read through codes")
            if "write_ins" in use:
                notes.append(f"{use['write_ins']:,} write-ins counted as Other")
            shown = Text(shown) if isinstance(shown, str) else shown
            shown.append("\n" + "; ".join(notes), style="dim")
        qt.add_row(q.id, q.type, shown)
    parts.append(qt)

    if ins.ignored:
        it = Table(title="Columns ignored", title_justify="left")
        it.add_column("column")
        it.add_column("why")
        for i in ins.ignored:
            where = f"{i.file}: {i.column}" if several else i.column
            it.add_row(where, i.reason)
        parts.append(it)

    if ins.column_problems or ins.problems:
        parts.append(Text("Problems:", style="bold red"))
        for p in ins.column_problems:
            parts.append(plain(f"  - {p}"))
        for a in ins.problems:
            parts.append(plain(f"  - {as_problem(a)}"))
    else:
        parts.append(Text("No answer problems: these files can be scored.", style="green"))
    if ins.warnings:
        parts.append(Text("Warnings:", style="bold"))
        parts.extend(plain(f"  - {clip(printable(_here(w)))}") for w in ins.warnings)
    return Group(*parts)
