"""``relimpact build --to google-forms``: a Google Apps Script that creates the form.

The user pastes the ``.gs`` file into a new project at script.google.com and runs
``createForm`` once (README: "Google Forms, step by step"). It builds the form with
``FormApp``: title, description and privacy notice, one section per part, a grid item
for statements sharing a scale (``addGridItem``), multiple choice, checkboxes (with
"Other" where the template allows write-ins), a drop-down list for a long roster,
paragraph text, the consent question, the respondent key (a short answer), required
flags, and a number check for number questions; then it logs the form's edit link and
the link to send to members.

What the Responses download of that form holds, and why it reads back with no aliases:
every column is headed by the item's title, which is the question's text; a grid's
columns are ``Grid title [statement]``, matched by the statement's text; answers are
the option and point labels; checkbox answers are joined with ``, `` and a write-in is
written into the answer itself (counted as "Other" with ``other: true``).

Every text is written as a JSON string literal (a valid JavaScript string: quotes,
backslashes, line breaks, ``</script>`` and non-ASCII characters escaped), so no
template text can end a string or run as code.
"""

from __future__ import annotations

import json

from relimpact.forms.build import LEVEL_INSTRUCTION, ROSTER_DROPDOWN_FROM, _says_tick_all
from relimpact.forms.common import (
    GRID_INSTRUCTION,
    BuiltForm,
    answers_of,
    closing_text,
    grid_help,
    grid_notes,
    grid_parts,
    level_choices,
    levels_notes,
    one_line,
    privacy_notice,
    roster_notes,
)
from relimpact.survey.model import Question, Survey

TOOL = "Google Forms"


def js(text: str) -> str:
    """A JavaScript string literal holding ``text`` exactly (JSON, ASCII only)."""
    return json.dumps(text, ensure_ascii=True).replace("</", "<\\/")


def _js_list(items: list[str] | tuple[str, ...]) -> str:
    if len(items) <= 3:
        return "[" + ", ".join(js(i) for i in items) + "]"
    return "[\n" + "".join(f"    {js(i)},\n" for i in items) + "  ]"


def _comment_line(text: str) -> str:
    """Text inside a ``/* */`` comment: it cannot close the comment."""
    return one_line(text).replace("*/", "* /")


def _choice_labels(survey: Survey, q: Question) -> list[str]:
    labels = [label for _, label in answers_of(survey, q)]
    if q.other and q.type in ("choice", "multi") and q.other_index is not None:
        # Google Forms' own "Other:" option takes the write-in; a template option named
        # "Other" would be a second one.
        labels = [lab for k, lab in enumerate(labels) if k != q.other_index]
    return labels


def _help(q: Question) -> str:
    hint = one_line(q.hint)
    if q.type in ("multi", "connections") and not _says_tick_all(hint):
        hint = (hint + " Tick all that apply.").strip()
    return hint


def _item(survey: Survey, q: Question) -> list[str]:
    """The lines that add one question (not in a grid) to the form."""
    title = js(one_line(q.text))
    lines: list[str] = []
    if q.type in ("scale", "choice", "consent") or (
        q.type == "member" and len(_choice_labels(survey, q)) < ROSTER_DROPDOWN_FROM
    ):
        lines.append(f"  item = form.addMultipleChoiceItem().setTitle({title});")
        lines.append(f"  item.setChoiceValues({_js_list(_choice_labels(survey, q))});")
        if q.other and q.type == "choice":
            lines.append("  item.showOtherOption(true);")
    elif q.type == "member":
        lines.append(f"  item = form.addListItem().setTitle({title});")
        lines.append(f"  item.setChoiceValues({_js_list(_choice_labels(survey, q))});")
    elif q.type == "connections" and q.levels is not None:
        # a member x level grid: a row per member, a column per level
        lines.append(f"  item = form.addGridItem().setTitle({title});")
        lines.append(f"  item.setRows({_js_list(_choice_labels(survey, q))});")
        lines.append(f"  item.setColumns({_js_list(level_choices(survey, q))});")
        lines.append(f"  item.setHelpText({js(one_line(q.hint or LEVEL_INSTRUCTION))});")
        return lines  # never required: that would require a level for every member
    elif q.type in ("multi", "connections"):
        lines.append(f"  item = form.addCheckboxItem().setTitle({title});")
        lines.append(f"  item.setChoiceValues({_js_list(_choice_labels(survey, q))});")
        if q.other and q.type == "multi":
            lines.append("  item.showOtherOption(true);")
    elif q.type == "number":
        lines.append(f"  item = form.addTextItem().setTitle({title});")
        lines.append(
            "  item.setValidation(FormApp.createTextValidation()"
            '.setHelpText("Please write a number, such as 12.").requireNumber().build());'
        )
    elif q.type == "respondent":
        lines.append(f"  item = form.addTextItem().setTitle({title});")
    else:  # text and any other free-text type
        lines.append(f"  item = form.addParagraphTextItem().setTitle({title});")
    hint = _help(q)
    if hint:
        lines.append(f"  item.setHelpText({js(hint)});")
    if q.required:
        lines.append("  item.setRequired(true);")
    return lines


def build_google_forms(survey: Survey) -> BuiltForm:
    """The Apps Script (``.gs``) that creates the form in the user's Google Drive."""
    parts = grid_parts(survey)
    dropped = [
        *grid_notes(survey, TOOL, parts, hints_in_help=True),
        *roster_notes(survey, TOOL),
        *levels_notes(survey, TOOL),
    ]
    description = "\n\n".join(
        t
        for t in (
            one_line(survey.network),
            one_line(survey.description),
            f"Your privacy: {one_line(privacy_notice(survey))}",
        )
        if t
    )
    header = [
        "/*",
        f" * {_comment_line(survey.title)}",
        f" * Google Apps Script made by relimpact build --to google-forms from survey "
        f"'{survey.id}'"
        + (f", version {_comment_line(survey.version)}" if survey.version else "")
        + ".",
        " *",
        " * 1. Open https://script.google.com and click New project.",
        " * 2. Delete the code shown, paste this whole file, and click Save.",
        " * 3. Choose createForm beside Debug and click Run; allow access when asked.",
        " * 4. The Execution log shows the link to edit the form and the link to send.",
        " * Download the answers from the form's Responses tab (the three dots > Download",
        " * responses (.csv)) and score them as they are: relimpact score survey.yaml FILE.csv",
    ]
    if dropped:
        header += [" *", " * What Google Forms cannot take from the template:"]
        header += [f" * - {_comment_line(d)}" for d in dropped]
    header.append(" */")

    body = [
        "function createForm() {",
        f"  var form = FormApp.create({js(one_line(survey.title))});",
        f"  form.setDescription({js(description)});",
        "  form.setCollectEmail(false);",
        "  form.setProgressBar(true);",
        "  form.setAllowResponseEdits(false);",
        "  form.setShowLinkToRespondAgain(false);",
        f"  form.setConfirmationMessage({js(closing_text(survey))});",
        "  var item;",
    ]
    for n, part in enumerate(parts):
        if n:
            body.append("")
            body.append(
                f"  form.addPageBreakItem().setTitle({js(f'Part {n + 1} of {len(parts)}')});"
            )
        else:
            body.append("")
        if part.grid is not None:
            first = part.questions[0]
            columns = [label for _, label in answers_of(survey, first)]
            rows = [one_line(q.text) for q in part.questions]
            body.append(f"  item = form.addGridItem().setTitle({js(GRID_INSTRUCTION)});")
            body.append(f"  item.setRows({_js_list(rows)});")
            body.append(f"  item.setColumns({_js_list(columns)});")
            if grid_help(part):  # a statement's hint (a support line) is not dropped
                body.append(f"  item.setHelpText({js(grid_help(part))});")
            if all(q.required for q in part.questions):
                body.append("  item.setRequired(true);")
            continue
        for q in part.questions:
            body += _item(survey, q)
    body += [
        "",
        '  Logger.log("Edit the form: " + form.getEditUrl());',
        '  Logger.log("Send this link to members: " + form.getPublishedUrl());',
        "  return form;",
        "}",
        "",
    ]
    return BuiltForm("\n".join(header + [""] + body), tuple(dropped))
