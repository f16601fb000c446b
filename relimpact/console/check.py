"""What ``relimpact check`` shows for a valid survey."""

from __future__ import annotations

import json

from rich.table import Table

from relimpact.common.errors import Problem, RelimpactError
from relimpact.survey.model import Survey


def check_table(s: Survey) -> Table:
    table = Table(
        title=f"{s.source}: valid. {s.title} ({len(s.questions)} questions, "
        f"{len(s.scale_questions)} scored items, min_group_size {s.min_group_size})",
        title_justify="left",
    )
    table.add_column("dimension", style="bold")
    table.add_column("label")
    table.add_column("kind")
    table.add_column("items", justify="right")
    table.add_column("reversed", justify="right")
    for did in s.dimension_order():
        d = s.dimensions[did]
        items = s.questions_of(did)
        kind = (
            "enabler"
            if d.enabler
            else {"net": "the net", "work": "the work"}.get(d.focus or "", "")
        )
        table.add_row(did, d.label, kind, str(len(items)), str(sum(q.reverse for q in items)))
    others = [q for q in s.questions if q.type != "scale"]
    if others:
        table.caption = "Other questions: " + ", ".join(
            f"{q.id} ({q.type}{', segment' if q.segment else ''})" for q in others
        )
        table.caption_justify = "left"
    return table


def check_json(s: Survey) -> str:
    data = {
        "valid": True,
        "survey": {"id": s.id, "title": s.title, "version": s.version},
        "questions": len(s.questions),
        "dimensions": {
            did: {
                "label": s.dimensions[did].label,
                "enabler": s.dimensions[did].enabler,
                "focus": s.dimensions[did].focus,
                "items": [q.id for q in s.questions_of(did)],
            }
            for did in s.dimension_order()
        },
        "segments": [q.id for q in s.segment_questions],
        "min_group_size": s.min_group_size,
        "warnings": [*s.privacy_warnings, *s.notice_warnings, *s.xlsform_warnings],
    }
    from relimpact.common.text import json_terminal_safe

    return json_terminal_safe(json.dumps(data, indent=2, ensure_ascii=False))


def _problem_dict(p: Problem) -> dict[str, object]:
    """One problem for scripts: the file, the line (None where the problem has none) and
    the message with its hint, as the error on standard error words it."""
    file, _, line = p.where.rpartition(":")
    if not (file and line.isdigit()):
        file, line = p.where, ""
    message = f"{p.message} {p.hint}".strip() if p.hint else p.message
    return {"file": file or None, "line": int(line) if line else None, "message": message}


def check_error_json(exc: RelimpactError) -> str:
    """What ``check --format json`` writes for a survey that is not valid: ``valid`` false
    and every problem, so that a script reads check's answer from standard output either
    way, as it does inspect's (``"ok": false``)."""
    from relimpact.common.text import json_terminal_safe

    data = {"valid": False, "problems": [_problem_dict(p) for p in exc.problems]}
    return json_terminal_safe(json.dumps(data, indent=2, ensure_ascii=False))
