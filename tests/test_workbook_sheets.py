"""Which sheet of an .xlsx is read, formula cells with no saved value, and a workbook
zipped under a .csv.zip name: refused or read, never half-read in silence."""

from __future__ import annotations

import zipfile
from pathlib import Path

import openpyxl
import pytest

from relimpact.common.errors import ResponseError
from relimpact.read.readers import open_table
from relimpact.read.reading import inspect_responses, read_responses
from relimpact.survey.model import Question, Scale, Survey

AGREE = Scale(
    id="agree5",
    points=(
        (1, "Strongly disagree"),
        (2, "Disagree"),
        (3, "Neither"),
        (4, "Agree"),
        (5, "Strongly agree"),
    ),
)
SURVEY = Survey(
    id="two",
    title="Two statements",
    scales={"agree5": AGREE},
    questions=(
        Question("a", "Statement A", scale="agree5"),
        Question("b", "Statement B", scale="agree5"),
    ),
)
HEADER = ["Statement A", "Statement B"]
ROWS = [
    ["Agree", "Agree"],
    ["Disagree", "Agree"],
    ["Strongly agree", "Agree"],
    ["Neither", "Disagree"],
    ["Agree", "Strongly agree"],
    ["Agree", "Neither"],
]


def _book(path: Path, sheets: list[tuple[str, list[list[object]], str]], active: int = 0) -> Path:
    """A workbook of (title, rows, state) sheets, written by openpyxl."""
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for title, rows, state in sheets:
        ws = wb.create_sheet(title)
        for row in rows:
            ws.append(row)
        ws.sheet_state = state
    wb.active = active
    wb.save(path)
    return path


# ------------------------------------------------------------------ which sheet


def test_a_hidden_sheet_first_is_passed_over_for_the_visible_responses(tmp_path: Path) -> None:
    path = _book(
        tmp_path / "r.xlsx",
        [
            ("Lookup", [["code", "label"], [1, "x"]], "hidden"),
            ("Responses", [HEADER, *ROWS], "visible"),
        ],
        active=1,
    )
    table = open_table(path)
    assert (table.sheet, table.other_sheets) == ("Responses", True)
    assert read_responses(SURVEY, [path]).respondents == len(ROWS)


def test_two_sheets_of_responses_are_refused_naming_both(tmp_path: Path) -> None:
    path = _book(
        tmp_path / "r.xlsx",
        [
            ("Collector 1", [HEADER, *ROWS[:3]], "visible"),
            ("Collector 2", [HEADER, *ROWS[3:]], "visible"),
        ],
    )
    with pytest.raises(ResponseError) as e:
        open_table(path)
    assert '2 sheets with content ("Collector 1", "Collector 2")' in str(e.value)
    assert "Save the sheet with the responses as a file of its own" in str(e.value)


def test_a_visible_summary_sheet_beside_the_responses_is_refused(tmp_path: Path) -> None:
    path = _book(
        tmp_path / "r.xlsx",
        [("Summary", [["Total", 6]], "visible"), ("Responses", [HEADER, *ROWS], "visible")],
    )
    with pytest.raises(ResponseError, match=r'"Summary", "Responses"'):
        open_table(path)


def test_empty_sheets_and_kobo_repeat_group_sheets_are_not_responses(tmp_path: Path) -> None:
    repeat = [
        ["child_name", "_index", "_parent_table_name", "_parent_index"],
        ["Ada", 1, "form", 1],
    ]
    path = _book(
        tmp_path / "r.xlsx",
        [
            ("form", [[*HEADER, "_index"], *[[*r, i] for i, r in enumerate(ROWS, 1)]], "visible"),
            ("children", repeat, "visible"),
            ("Sheet2", [], "visible"),
        ],
    )
    table = open_table(path)
    assert table.sheet == "form"
    assert read_responses(SURVEY, [path]).respondents == len(ROWS)


def test_two_hidden_sheets_and_no_visible_one_with_content_are_refused(tmp_path: Path) -> None:
    path = _book(
        tmp_path / "r.xlsx",
        [
            ("Blank", [], "visible"),
            ("A", [HEADER, *ROWS], "hidden"),
            ("B", [HEADER, *ROWS], "veryHidden"),
        ],
    )
    with pytest.raises(ResponseError, match=r'2 hidden sheets with content \("A", "B"\)'):
        open_table(path)


def test_a_single_sheet_workbook_is_read_as_before_and_named_only_in_inspect(
    tmp_path: Path,
) -> None:
    path = _book(
        tmp_path / "r.xlsx", [("Form Responses 1", [HEADER, *ROWS, ["Nope", "Agree"]], "visible")]
    )
    table = open_table(path)
    assert (table.sheet, table.other_sheets, table.place) == ("Form Responses 1", False, str(path))
    ins = inspect_responses(SURVEY, [path])
    assert ins.files[0].sheet == "Form Responses 1"
    assert [p.place for p in ins.problems] == [str(path)]


def test_answer_problems_name_the_sheet_when_the_workbook_has_others(tmp_path: Path) -> None:
    path = _book(
        tmp_path / "r.xlsx",
        [("Notes", [], "visible"), ("Responses", [HEADER, *ROWS, ["Nope", "Agree"]], "visible")],
    )
    ins = inspect_responses(SURVEY, [path])
    (problem,) = ins.problems
    assert (problem.file, problem.sheet, problem.rows) == (str(path), "Responses", (8,))
    with pytest.raises(ResponseError) as e:
        read_responses(SURVEY, [path])
    assert f'{path}, sheet "Responses", column "Statement A"' in str(e.value)


# ------------------------------------------------------------------ formulas


def test_a_formula_with_no_saved_value_is_refused_naming_its_cell(tmp_path: Path) -> None:
    path = _book(tmp_path / "r.xlsx", [("Data", [HEADER, *ROWS], "visible")])
    wb = openpyxl.load_workbook(path)
    wb["Data"]["A3"] = '=IF(TRUE,"Strongly disagree","")'  # openpyxl saves no value
    wb.save(path)
    with pytest.raises(ResponseError) as e:
        read_responses(SURVEY, [path])
    assert str(e.value).startswith(f'{path}, sheet "Data", cell A3: this cell holds a formula')


def _with_cell(path: Path, cell_xml: str) -> Path:
    """The workbook with cell A3's XML replaced (as Excel writes it after calculating)."""
    out = path.with_name("saved.xlsx")
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                text = data.decode()
                start = text.index('<c r="A3"')
                end = text.index("</c>", start) + len("</c>")
                data = (text[:start] + cell_xml + text[end:]).encode()
            dst.writestr(info, data)
    return out


@pytest.mark.parametrize(
    ("cell", "read"),
    [
        ('<c r="A3" t="str"><f>IF(TRUE,"Disagree","")</f><v>Disagree</v></c>', "Disagree"),
        ('<c r="A3" t="str"><f>IF(FALSE,"x","")</f><v></v></c>', ""),
        ('<c r="A3"><f>1+1</f><v>2</v></c>', "2"),
    ],
)
def test_formulas_with_saved_values_are_read_as_saved(tmp_path: Path, cell: str, read: str) -> None:
    path = _with_cell(_book(tmp_path / "r.xlsx", [("Data", [HEADER, *ROWS], "visible")]), cell)
    records = list(open_table(path).records())
    assert records[2][0] == read


# ------------------------------------------------------------------ zipped workbook


def test_a_csv_zip_holding_a_workbook_says_to_unzip_it(tmp_path: Path) -> None:
    book = _book(tmp_path / "responses.xlsx", [("Data", [HEADER, *ROWS], "visible")])
    path = tmp_path / "responses.csv.zip"
    with zipfile.ZipFile(path, "w") as z:
        z.write(book, "responses.xlsx")
    with pytest.raises(ResponseError) as e:
        open_table(path)
    assert str(e.value) == (
        f"{path}: this ZIP file holds an Excel workbook (responses.xlsx) rather than being "
        "one, and no CSV file. Unzip it and give the workbook itself."
    )


# ------------------------------------------------------------------ the command line


def test_cli_names_the_sheets_and_the_cell(cli, tmp_path: Path) -> None:
    survey = tmp_path / "two.yaml"
    survey.write_text(
        "relimpact: 1\nid: two\ntitle: Two statements\n"
        "scales:\n  agree5:\n    points: {1: Strongly disagree, 2: Disagree, 3: Neither, "
        "4: Agree, 5: Strongly agree}\n"
        "dimensions:\n  d: {label: D}\n"
        "questions:\n"
        "  - {id: a, text: Statement A, scale: agree5, dimension: d}\n"
        "  - {id: b, text: Statement B, scale: agree5, dimension: d}\n",
        encoding="utf-8",
    )
    two = _book(
        tmp_path / "two.xlsx",
        [
            ("Collector 1", [HEADER, *ROWS[:3]], "visible"),
            ("Collector 2", [HEADER, *ROWS[3:]], "visible"),
        ],
    )
    r = cli("score", survey, two)
    assert r.returncode == 1
    assert r.stderr == (
        f'Error: {two}: this workbook holds 2 sheets with content ("Collector 1", "Collector '
        '2"), and relimpact reads one sheet only: it will not guess which holds the responses. '
        "Save the sheet with the responses as a file of its own (in Excel: open that sheet and "
        "File > Save As > CSV UTF-8), or export the responses again from the survey tool; "
        "responses on several sheets go in several files, given together.\n"
    )
    formula = _book(tmp_path / "f.xlsx", [("Data", [HEADER, ['="Agree"', "Agree"]], "visible")])
    r = cli("score", survey, formula)
    assert r.returncode == 1
    assert r.stderr == (
        f'Error: {formula}, sheet "Data", cell A2: this cell holds a formula with no saved '
        "value, so its answer would be read as blank. Open the workbook in Excel or "
        "LibreOffice and save it (the formulas are then calculated and their values saved), "
        "or export the responses again from the survey tool.\n"
    )
    hidden = _book(
        tmp_path / "h.xlsx",
        [("Lookup", [["code"], [1]], "hidden"), ("Responses", [HEADER, *ROWS], "visible")],
    )
    r = cli("inspect", survey, hidden, "--format", "json")
    assert r.returncode == 0, r.stderr
    import json

    assert json.loads(r.stdout)["files"][0]["sheet"] == "Responses"
    r = cli("inspect", survey, hidden)
    assert f'{hidden}: sheet "Responses".' in r.stdout.replace("\n", "")
