"""Exporters' layouts beyond the real files: Microsoft Forms in seven languages, an .xlsx
saved under a .csv name, personal data by header text, and respondent text never echoed."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import run_cli

from relimpact.common.errors import ResponseError
from relimpact.console.inspect import inspect_json, inspect_table
from relimpact.read.readers import open_table
from relimpact.read.reading import inspect_responses, read_responses
from relimpact.survey.model import Question, Scale, Survey

AGREE = Scale("agree", ((1, "Disagree"), (2, "Neutral"), (3, "Agree")))


def survey(*extra: Question) -> Survey:
    return Survey(
        id="s",
        title="S",
        scales={"agree": AGREE},
        questions=(
            Question("useful", "The meetings are useful", scale="agree", dimension="d"),
            Question("role", "Your role", type="choice", options=("Member", "Staff")),
            *extra,
        ),
    )


# Microsoft Forms' metadata headers as its exports write them in each language.
MS_FORMS = {
    "en": ["ID", "Start time", "Completion time", "Email", "Name", "Last modified time"],
    "de": ["ID", "Startzeit", "Fertigstellungszeit", "E-Mail", "Name", "Letzte Änderungszeit"],
    "fr": [
        "ID",
        "Heure de début",
        "Heure de fin",
        "Adresse de messagerie",
        "Nom",
        "Heure de la dernière modification",
    ],
    "es": [
        "Id.",
        "Hora de inicio",
        "Hora de finalización",
        "Correo electrónico",
        "Nombre",
        "Hora de la última modificación",
    ],
    "nl": [
        "Id",
        "Begintijd",
        "Tijd van voltooien",
        "E-mail",
        "Naam",
        "Tijdstip van laatste wijziging",
    ],
    "it": [
        "ID",
        "Ora di inizio",
        "Ora di completamento",
        "Posta elettronica",
        "Nome",
        "Ora dell'ultima modifica",
    ],
    "pt": [
        "ID",
        "Hora de início",
        "Hora de conclusão",
        "Email",
        "Nome",
        "Hora da última modificação",
    ],
    "cy": ["ID", "Amser dechrau", "Amser cwblhau", "E-bost", "Enw", "Amser addasu diwethaf"],
}


@pytest.mark.parametrize("lang", sorted(MS_FORMS))
def test_microsoft_forms_metadata_in_each_language(tmp_path: Path, lang: str) -> None:
    meta = MS_FORMS[lang]
    path = tmp_path / f"forms-{lang}.csv"
    lines = [
        ";".join([*meta, "The meetings are useful", "Your role"]),
        ";".join(
            [
                "1",
                "05/10/2026 09:10",
                "05/10/2026 09:12",
                "a@example.org",
                "Ada One",
                "05/10/2026 09:12",
                "Agree",
                "Member",
            ]
        ),
        ";".join(
            [
                "2",
                "05/10/2026 10:10",
                "05/10/2026 10:12",
                "b@example.org",
                "Bo Two",
                "05/10/2026 10:12",
                "Neutral",
                "Staff",
            ]
        ),
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    table = open_table(path)
    assert (table.format, table.layout.language) == ("microsoft-forms", lang)
    ins = inspect_responses(survey(), [path])
    assert ins.ok and ins.respondents == 2
    reasons = {i.column: i.reason for i in ins.ignored}
    assert reasons[meta[3]] == "personal data" and reasons[meta[4]] == "personal data"
    assert {reasons[m] for m in (meta[0], meta[1], meta[2], meta[5])} == {"export metadata"}
    assert "a@example.org" not in inspect_json(ins) and "Ada" not in inspect_json(ins)


def test_an_xlsx_saved_under_a_csv_name(tmp_path: Path) -> None:
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(
        [
            "ID",
            "Start time",
            "Completion time",
            "Email",
            "Name",
            "The meetings are useful",
            "Your role",
        ]
    )
    ws.append(
        [1, "2026-10-05 09:10", "2026-10-05 09:12", "a@example.org", "Ada", "Agree", "Member"]
    )
    path = tmp_path / "responses.csv"
    wb.save(path)
    table = open_table(path)
    assert (table.kind, table.format) == ("xlsx", "microsoft-forms")
    rs = read_responses(survey(), [path])
    assert rs.scale["useful"].tolist() == [3.0]


def test_a_question_whose_text_starts_like_personal_data_is_that_question(tmp_path: Path) -> None:
    s = survey(
        Question(
            "updates", "Email updates from the network are useful", scale="agree", dimension="d"
        ),
        Question("region", "Location (Census Region)", type="choice", options=("North", "South")),
    )
    path = tmp_path / "r.csv"
    path.write_text(
        "Email address,Email updates from the network are useful,Location (Census Region),"
        "Location,The meetings are useful,Your role\n"
        "a@example.org,Agree,North,51.5 -0.1,Agree,Member\n",
        encoding="utf-8",
    )
    rs = read_responses(s, [path])
    assert rs.scale["updates"].tolist() == [3.0]
    assert rs.choice["region"].codes.tolist() == [0]
    reasons = {i.column: i.reason for i in rs.ignored}
    assert reasons == {"Email address": "personal data", "Location": "personal data"}


def test_write_ins_and_respondent_text_are_never_echoed(tmp_path: Path) -> None:
    secret = "I am Clive Jones, call me on 07700 900123 about the café"
    path = tmp_path / "r.csv"
    path.write_text(
        f'The meetings are useful,Your role\nAgree,"{secret}"\n"{secret}",Member\n',
        encoding="utf-8",
    )
    ins = inspect_responses(survey(), [path])
    assert not ins.ok
    shown = inspect_json(ins)
    from rich.console import Console

    console = Console(width=200, record=True)
    console.print(inspect_table(ins))
    table = console.export_text()
    with pytest.raises(ResponseError) as e:
        read_responses(survey(), [path])
    for text in (shown, table, str(e.value)):
        assert "Clive" not in text and "07700" not in text and "café" not in text
        assert "a written answer of 56 characters" in text  # its length, file, row, column
    assert "row 2" in str(e.value) and 'column "Your role"' in str(e.value)
    data = json.loads(shown)
    assert {p["value"] for p in data["problems"]} == {"a written answer of 56 characters"}
    # With other: true the same text is one write-in, counted and not shown.
    s = survey()
    s2 = Survey(
        id="s",
        title="S",
        scales=s.scales,
        questions=(
            s.questions[0],
            Question("role", "Your role", type="choice", options=("Member", "Staff"), other=True),
        ),
    )
    path.write_text(f'The meetings are useful,Your role\nAgree,"{secret}"\n', encoding="utf-8")
    ins = inspect_responses(s2, [path])
    assert ins.ok and ins.answer_use == {"role": {"code": 0, "other": 1}}
    assert "Clive" not in inspect_json(ins)


def test_include_incomplete_on_the_command_line(tmp_path: Path) -> None:
    survey_yaml = tmp_path / "survey.yaml"
    survey_yaml.write_text(
        "relimpact: 1\nid: s\ntitle: S\nmin_group_size: 3\n"
        "scales:\n  agree: {points: {1: Disagree, 2: Neutral, 3: Agree}}\n"
        "dimensions:\n  d: {label: D}\n"
        "questions:\n  - {id: useful, text: The meetings are useful, scale: agree, dimension: d}\n",
        encoding="utf-8",
    )
    path = tmp_path / "results.csv"
    rows = ["id,submitdate,lastpage,startlanguage,The meetings are useful"]
    rows += [f"{i},2026-10-05 09:1{i},2,en,Agree" for i in range(1, 4)]
    rows += ["4,,1,en,Disagree", "5,,1,en,"]
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    out = run_cli("score", survey_yaml, path, "--format", "json")
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert data["respondents"] == 3
    assert (
        "Left out 1 incomplete response: the export marks it as not finished or not "
        "submitted (--include-incomplete keeps them)." in data["warnings"]
    )
    kept = json.loads(
        run_cli("score", survey_yaml, path, "--format", "json", "--include-incomplete").stdout
    )
    assert kept["respondents"] == 4
    assert (
        "Kept 1 incomplete response (--include-incomplete): the export marks them as not "
        "finished." in kept["warnings"]
    )


def test_an_excel_tsv_with_quoted_cells_is_still_read_with_quoting(tmp_path: Path) -> None:
    path = tmp_path / "r.tsv"
    path.write_text(
        'The meetings are useful\tYour role\n"Agree"\t"Member"\nNeutral\tStaff\n',
        encoding="utf-8",
    )
    assert open_table(path).quoting
    rs = read_responses(survey(), [path])
    assert rs.scale["useful"].tolist() == [3.0, 2.0]


def test_surveymonkey_other_please_specify_is_the_write_in_of_its_block(tmp_path: Path) -> None:
    s = Survey(
        id="s",
        title="S",
        scales={"agree": AGREE},
        questions=(
            Question("useful", "The meetings are useful", scale="agree", dimension="d"),
            Question("role", "Your role", type="choice", options=("Member", "Staff"), other=True),
            Question(
                "took_part",
                "What did you take part in?",
                type="multi",
                options=("Meetings", "Training"),
                other=True,
            ),
        ),
    )
    path = tmp_path / "sm.csv"
    path.write_text(
        "Respondent ID,Collector ID,Start Date,End Date,IP Address,Email Address,First Name,"
        "Last Name,Custom Data 1,The meetings are useful,Your role,,What did you take part in?,,\n"
        ",,,,,,,,,Response,Response,Other (please specify),Meetings,Training,"
        "Other (please specify)\n"
        "1,9,10/05/2026,10/05/2026,192.0.2.1,a@example.org,Ada,One,,Agree,Member,,Meetings,,\n"
        "2,9,10/05/2026,10/05/2026,192.0.2.2,b@example.org,Bo,Two,,Neutral,,I chair it,,"
        "Training,A reading group\n",
        encoding="utf-8",
    )
    rs = read_responses(s, [path])
    assert rs.choice["role"].categories == ("Member", "Staff", "Other")
    assert rs.choice["role"].codes.tolist() == [0, 2]
    labels, matrix = rs.multi["took_part"]
    assert labels == ("Meetings", "Training", "Other")
    assert matrix.tolist() == [[True, False, False], [False, True, True]]
    assert "I chair it" not in inspect_json(inspect_responses(s, [path]))


def test_a_zip_download_that_cannot_be_read_is_refused_with_a_reason(tmp_path: Path) -> None:
    import zipfile

    several = tmp_path / "export.zip"
    with zipfile.ZipFile(several, "w") as z:
        z.writestr("form-a.csv", "a\n1\n")
        z.writestr("form-b.csv", "a\n1\n")
    with pytest.raises(ResponseError, match="holds several CSV files"):
        open_table(several)
    bomb = tmp_path / "form.csv.zip"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("form.csv", "The meetings are useful\n" + "," * 5_000_000)
    with pytest.raises(ResponseError, match="would unpack to 5,000,024 bytes"):
        open_table(bomb)


def test_surveymonkey_older_metadata_names_and_numerical_values(tmp_path: Path) -> None:
    s = Survey(
        id="s",
        title="S",
        scales={"agree": AGREE},
        questions=(
            Question("useful", "The meetings are useful", scale="agree", dimension="d"),
            Question(
                "role",
                "Your role",
                type="choice",
                options=("Member", "Staff"),
                option_codes=(("1",), ("2",)),
            ),
        ),
    )
    path = tmp_path / "sm-old.csv"
    path.write_text(
        "RespondentID,CollectorID,StartDate,EndDate,IP Address,Email Address,First Name,"
        "LastName,Custom Data,The meetings are useful,Your role\n"
        ",,,,,,,,,Response,Response\n"
        "1,2,10/05/2026,10/05/2026,192.0.2.1,a@example.org,Ada,One,,3,2\n",
        encoding="utf-8",
    )
    table = open_table(path)
    assert (table.format, table.layout.header_rows) == ("surveymonkey", 2)
    rs = read_responses(s, [path])
    assert rs.scale["useful"].tolist() == [3.0] and rs.choice["role"].codes.tolist() == [1]
    reasons = {i.column: i.reason for i in rs.ignored}
    assert reasons["LastName"] == reasons["IP Address"] == "personal data"
    assert reasons["RespondentID"] == reasons["Custom Data"] == "export metadata"
