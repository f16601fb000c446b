"""Every real export in ../shared/real-exports/ reads and scores as downloaded.

Each file was written by a survey tool, not for relimpact (see that folder's README). Each
test scores it through the command line with the survey.yaml a convenor would write for it
(tests/real_surveys/), checks the exit status, the number of respondents counted by hand,
and at least two figures counted by hand from the raw file with the csv module (or
openpyxl for workbooks). The files are never copied into the repository; a missing folder
is a failure, not a skip.
"""

from __future__ import annotations

import csv
import json
import zipfile
from collections import Counter
from pathlib import Path

import pytest
from conftest import ROOT, run_cli

from relimpact.read.reading import inspect_responses, read_responses
from relimpact.survey.load import load_survey

REAL = ROOT.parent / "shared" / "real-exports"
SURVEYS = Path(__file__).resolve().parent / "real_surveys"


def real(name: str) -> Path:
    path = REAL / name
    assert path.is_file(), f"{path} is missing: the real exports must be beside the checkout"
    return path


def rows_of(name: str, encoding: str = "utf-8", delimiter: str = ",") -> list[list[str]]:
    """The raw records, as the csv module reads them (blank records dropped)."""
    with real(name).open(encoding=encoding, newline="") as f:
        return [r for r in csv.reader(f, delimiter=delimiter) if r]


def score(survey: str, *files: Path | str, extra: tuple[str, ...] = ()) -> dict:
    result = run_cli("score", SURVEYS / survey, *files, "--format", "json", *extra)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def inspect(survey: str, *files: Path | str) -> dict:
    result = run_cli("inspect", SURVEYS / survey, *files, "--format", "json")
    assert result.returncode == 0, result.stdout + result.stderr
    return json.loads(result.stdout)


def test_the_real_exports_are_all_there():
    names = sorted(
        str(p.relative_to(REAL)) for p in REAL.rglob("*") if p.is_file() and p.suffix != ".md"
    )
    assert len(names) == 13, names


# --------------------------------------------------------------------------- Qualtrics


def test_qualtrics_sample_three_rows_german_labels_numeric_values():
    # By hand: 3 header rows (tags, German labels, ImportId JSON), then 1 record.
    rows = rows_of("qualtrics/sample.csv")
    assert len(rows) - 3 == 1
    assert rows[3][17] == "2" and rows[3][18] == "Hello World!"
    out = score("qualtrics-sample.yaml", real("qualtrics/sample.csv"))
    assert out["respondents"] == 1
    ins = inspect("qualtrics-sample.yaml", real("qualtrics/sample.csv"))
    assert ins["files"][0]["format"] == "qualtrics"
    assert ins["files"][0]["language"] == "de"
    assert ins["files"][0]["header_rows"] == 3
    # The German label row is export metadata and personal data, not unmatched questions.
    reasons = {i["column"]: i["reason"] for i in ins["ignored_columns"]}
    assert reasons["Anfangsdatum"] == "export metadata"
    assert reasons["Beendet"] == "export metadata"
    assert reasons["IP-Adresse"] == "personal data"
    assert reasons["E-Mail des Empfängers"] == "personal data"
    assert reasons["Breitengrad des Standorts"] == "personal data"
    assert [i["reason"] for i in ins["ignored_columns"]].count("no matching question") == 1
    assert ins["questions"]["Q1"]["read_through_codes"] == 1
    # Figures: Q1's recode value 2 is the second choice; Q2's text is read as written.
    rs = read_responses(
        load_survey(SURVEYS / "qualtrics-sample.yaml"), [real("qualtrics/sample.csv")]
    )
    assert rs.choice["Q1"].codes.tolist() == [1]
    assert rs.text["Q2"] == ("Hello World!",)


def _qualtrics_with(tmp_path: Path, rows: list[dict[int, str]]) -> Path:
    """The real sample with more responses: copies of its one record with some cells changed."""
    lines = real("qualtrics/sample.csv").read_text(encoding="utf-8").splitlines()
    header, record = lines[:3], next(csv.reader([lines[3]]))
    out = tmp_path / "sample-more.csv"
    with out.open("w", encoding="utf-8", newline="") as f:
        f.write("\n".join(header) + "\n")
        w = csv.writer(f, lineterminator="\n")
        w.writerow(record)
        for changes in rows:
            r = list(record)
            for k, v in changes.items():
                r[k] = v
            w.writerow(r)
    return out


def test_qualtrics_unfinished_preview_and_spam_are_left_out(tmp_path):
    # Column 2 is Status (0 normal, 1 Survey Preview, 8 Spam), column 6 Finished (1 or 0).
    path = _qualtrics_with(
        tmp_path,
        [{6: "0"}, {6: "False"}, {2: "1"}, {2: "Survey Preview"}, {2: "8"}, {2: "Spam"}, {}],
    )
    out = score("qualtrics-sample.yaml", path)
    assert out["respondents"] == 2  # the real record and its unchanged copy
    assert (
        "Left out 2 incomplete responses: the export marks them as not finished or not "
        "submitted (--include-incomplete keeps them)." in out["warnings"]
    )
    assert (
        "Left out 2 survey previews: the export's Status column marks them as not a real "
        "response." in out["warnings"]
    )
    assert (
        "Left out 2 responses flagged as spam: the export's Status column marks them as not "
        "a real response." in out["warnings"]
    )
    kept = score("qualtrics-sample.yaml", path, extra=("--include-incomplete",))
    assert kept["respondents"] == 4  # previews and spam are never responses
    ins = inspect("qualtrics-sample.yaml", path)
    assert ins["files"][0]["left_out"] == {
        "incomplete response": 2,
        "survey preview": 2,
        "response flagged as spam": 2,
    }


def test_qualtrics_legacy_two_rows():
    # By hand: 2 header rows (V1..V10 tags, then labels), then 1 record; trailing comma.
    rows = rows_of("qualtrics/sample_legacy.csv", "utf-8-sig")
    assert len(rows) - 2 == 1 and rows[2][10] == "2"
    out = score("qualtrics-legacy.yaml", real("qualtrics/sample_legacy.csv"))
    assert out["respondents"] == 1
    rs = read_responses(
        load_survey(SURVEYS / "qualtrics-legacy.yaml"), [real("qualtrics/sample_legacy.csv")]
    )
    assert rs.scale["Q1"].tolist() == [2.0]
    assert rs.text["Q2"] == ("Hello World!",)


# --------------------------------------------------------------------------- SurveyMonkey


def test_surveymonkey_star_wars():
    # By hand: Windows-1252, 2 header rows, 1,186 records, none without any answer.
    rows = rows_of("surveymonkey/StarWars.csv", "cp1252")
    data = rows[2:]
    assert len(data) == 1186 and all(any(c.strip() for c in r[1:]) for r in data)
    out = score("surveymonkey-starwars.yaml", real("surveymonkey/StarWars.csv"))
    assert out["respondents"] == 1186
    # Figure 1: Han Solo (column 15) as the csv module counts it.
    han = Counter(r[15] for r in data)
    assert out["items"]["han"]["counts"]["Very favorably"] == han["Very favorably"] == 610
    assert out["items"]["han"]["not_applicable"] == han["Unfamiliar (N/A)"]
    answered = sum(n for v, n in han.items() if v and v != "Unfamiliar (N/A)")
    assert out["items"]["han"]["n"] == answered
    # Figure 2: the rank of Episode V (column 13), a grid row under its block's text.
    ranks = [int(r[13]) for r in data if r[13]]
    assert out["items"]["rank_5"]["n"] == len(ranks)
    assert out["items"]["rank_5"]["mean"] == pytest.approx(sum(ranks) / len(ranks))
    # Figure 3: "Location (Census Region)" is a question (a segment), not personal data.
    regions = Counter(r[37] for r in data)
    assert out["segments"]["region"]["Pacific"]["n"] == regions["Pacific"]
    # The films-seen block's options are not claimed by the rank questions of the same names.
    ins = inspect("surveymonkey-starwars.yaml", real("surveymonkey/StarWars.csv"))
    assert [c["index"] for c in ins["questions"]["seen"]["columns"]] == [3, 4, 5, 6, 7, 8]
    assert [c["index"] for c in ins["questions"]["rank_1"]["columns"]] == [9]
    assert ins["ignored_columns"] == [
        {
            "file": str(real("surveymonkey/StarWars.csv")),
            "column": "RespondentID",
            "reason": "export metadata",
        }
    ]


def test_surveymonkey_steak():
    # By hand: 2 header rows, 550 records, each answering at least one question.
    rows = rows_of("surveymonkey/steak-risk-survey.csv")
    data = rows[2:]
    assert len(data) == 550 and all(any(c.strip() for c in r[1:]) for r in data)
    out = score("surveymonkey-steak.yaml", real("surveymonkey/steak-risk-survey.csv"))
    assert out["respondents"] == 550
    smoke = Counter(r[2] for r in data)  # "Do you ever smoke cigarettes?"
    assert out["items"]["smoke"]["counts"] == {"No": smoke["No"], "Yes": smoke["Yes"]}
    assert out["items"]["smoke"]["favourable_pct"] == pytest.approx(
        100 * smoke["Yes"] / (smoke["Yes"] + smoke["No"])
    )
    # Lottery A is suppressed with the small "(no answer)" group (complementary suppression).
    lottery = Counter(r[1] for r in data)
    assert out["segments"]["lottery"]["Lottery B"]["n"] == lottery["Lottery B"] == 279


# --------------------------------------------------------------------------- Google Forms


GOOGLE_COLUMNS = (1, 11, 15, 16, 17, 18, 21, 36, 37, 49)  # the template's questions' columns
APPLICATIONS = {
    "statistical analysis",
    "data transformation",
    "modeling",
    "visualization",
    "machine learning",
    "text processing",
    "survey analysis",
    "financial analysis",
    "medicine",
    "genomics",
    "clinical trials",
}


def test_google_forms_csv():
    rows = rows_of("google-forms/rcs2019-english.csv")
    data = rows[1:]
    assert len(data) == 1838
    # By hand: a row is a respondent when it answers one of the template's questions.
    answering = [r for r in data if any(r[i].strip() for i in GOOGLE_COLUMNS)]
    assert len(answering) == 1807
    out = score("google-forms-rcs2019.yaml", real("google-forms/rcs2019-english.csv"))
    assert out["respondents"] == 1807
    assert "Removed 31 empty submissions (rows that answer no question)." in out["warnings"]
    enjoy = Counter(r[17] for r in data)
    assert out["items"]["enjoy_r"]["counts"] == {str(k): enjoy[str(k)] for k in range(1, 6)}
    recommend = [int(r[18]) for r in data if r[18]]
    assert out["items"]["recommend_r"]["n"] == len(recommend) == 1795
    assert out["items"]["recommend_r"]["mean"] == pytest.approx(sum(recommend) / len(recommend))
    # "Other:" write-ins are the written text inside the checkbox answer: counted, never shown.
    # No option holds ", ", so a write-in is an answer with a piece that is no option.
    written = sum(
        1
        for r in data
        if r[16] and any(p.strip().casefold() not in APPLICATIONS for p in r[16].split(", "))
    )
    ins = inspect("google-forms-rcs2019.yaml", real("google-forms/rcs2019-english.csv"))
    assert ins["questions"]["applications"]["write_ins"] == written == 165
    rs = read_responses(
        load_survey(SURVEYS / "google-forms-rcs2019.yaml"),
        [real("google-forms/rcs2019-english.csv")],
    )
    labels, matrix = rs.multi["applications"]
    assert labels[-1] == "Other" and int(matrix[:, -1].sum()) == 165


def _same_scores(a: dict, b: dict) -> None:
    for key in ("respondents", "dimensions", "items", "segments", "warnings"):
        assert a[key] == b[key], key


def test_google_sheets_tsv_without_quoting():
    # By hand: every line has 51 tabs; 37 lines hold a '"' that is just text ("Eight").
    text = real("google-forms/rcs2019-english.tsv").read_bytes().decode("utf-8")
    lines = [line for line in text.split("\r\n") if line]
    assert {line.count("\t") for line in lines} == {51}
    assert sum('"' in line for line in lines) == 37
    tsv = score("google-forms-rcs2019.yaml", real("google-forms/rcs2019-english.tsv"))
    csv_ = score("google-forms-rcs2019.yaml", real("google-forms/rcs2019-english.csv"))
    _same_scores(tsv, csv_)
    ins = inspect("google-forms-rcs2019.yaml", real("google-forms/rcs2019-english.tsv"))
    assert ins["files"][0]["delimiter"] == "\t" and ins["files"][0]["quoting"] is False
    # A figure from the TSV itself: the "Expert" segment.
    expert = sum(1 for line in lines[1:] if line.split("\t")[1] == "Expert")
    assert tsv["segments"]["experience"]["Expert"]["n"] == expert == 529


def test_google_sheets_xlsx():
    import openpyxl

    wb = openpyxl.load_workbook(real("google-forms/rcs2019-english.xlsx"), read_only=True)
    sheet = wb["Form Responses 1"]
    data = list(sheet.iter_rows(min_row=2, values_only=True))
    wb.close()
    assert len(data) == 1838
    xlsx = score("google-forms-rcs2019.yaml", real("google-forms/rcs2019-english.xlsx"))
    csv_ = score("google-forms-rcs2019.yaml", real("google-forms/rcs2019-english.csv"))
    _same_scores(xlsx, csv_)
    # Figures from the workbook itself: numbers are stored as floats there.
    cell = [list(r) + [None] * (52 - len(r)) for r in data]  # read-only rows stop early
    enjoy = Counter(r[17] for r in cell)
    assert xlsx["items"]["enjoy_r"]["counts"]["5"] == enjoy[5.0] == 1272
    experts = sum(r[1] == "Expert" for r in cell)
    assert xlsx["segments"]["experience"]["Expert"]["n"] == experts == 529


# --------------------------------------------------------------------------- LimeSurvey


LIME = "limesurvey/results-survey945827-202004302207.csv"
LIME_CODES = "limesurvey/results-survey945827-202004302207-codes.csv"


def test_limesurvey_code_text_headings_and_incomplete_responses():
    rows = rows_of(LIME, "utf-8-sig")
    data = rows[1:]
    assert len(data) == 65
    # By hand: submitted responses are those with a "submitdate. Date submitted" (column 1).
    submitted = [r for r in data if r[1].strip()]
    assert len(submitted) == 25
    out = score("limesurvey-grid.yaml", real(LIME))
    assert out["respondents"] == 25
    assert (
        "Left out 27 incomplete responses: the export marks them as not finished or not "
        "submitted (--include-incomplete keeps them)." in out["warnings"]
    )
    # Figure 1: the first statement of page 1 (column 12) among submitted responses.
    first = Counter(r[12] for r in submitted)
    assert out["items"]["page1_1"]["counts"]["9. Completely agree"] == first["9. Completely agree"]
    assert out["items"]["page1_1"]["n"] == sum(n for v, n in first.items() if v)
    # Figure 2: the first statement of page 3 (column 274), mean of the point numbers.
    points = [int(r[274].split(".")[0]) for r in submitted if r[274]]
    assert out["items"]["page3_1"]["mean"] == pytest.approx(sum(points) / len(points))
    # --include-incomplete keeps the unsubmitted rows that answer something.
    answering = [r for r in data if any(r[i].strip() for i in (10, 11, *range(12, 21)))]
    kept = score("limesurvey-grid.yaml", real(LIME), extra=("--include-incomplete",))
    assert kept["respondents"] == len(answering) == 52


def test_limesurvey_answer_codes_score_as_the_full_answers():
    rows = rows_of(LIME_CODES, "utf-8-sig")
    assert rows[0][:2] == ["id", "submitdate"] and len(rows) - 1 == 65
    codes = score("limesurvey-grid.yaml", real(LIME_CODES))
    full = score("limesurvey-grid.yaml", real(LIME))
    _same_scores(codes, full)
    # Figure: D4 is point 1, A4 point 9 (by hand from the two files, same response ids).
    submitted = [r for r in rows[1:] if r[1]]
    assert codes["items"]["page1_1"]["counts"]["9. Completely agree"] == sum(
        r[12] == "A4" for r in submitted
    )
    ins = inspect("limesurvey-grid.yaml", real(LIME_CODES))
    assert ins["questions"]["page1_1"]["read_through_codes"] == sum(1 for r in rows[1:] if r[12])
    assert ins["files"][0]["left_out"] == {"incomplete response": 27}


# --------------------------------------------------------------------------- Typeform


TYPEFORM = "typeform/res_YvBfAdHB.csv"


def test_typeform_yes_no_other_columns_and_blocks():
    rows = rows_of(TYPEFORM)
    data = rows[1:]
    assert len(data) == 44  # by hand: 44 records, each with a "#" response id
    out = score("typeform-numerique.yaml", real(TYPEFORM))
    assert out["respondents"] == 44
    s = load_survey(SURVEYS / "typeform-numerique.yaml")
    rs = read_responses(s, [real(TYPEFORM)])
    # Figure 1: "Vivez-vous en France ?" (column 3) holds 1/0 for Oui/Non.
    france = Counter(r[3] for r in data)
    codes = rs.choice["france"].codes.tolist()
    assert codes.count(0) == france["1"] and codes.count(1) == france["0"]
    # Figure 2: the "Other" column (8) after "Quelle est votre spécialité ?" (7) is its write-in.
    other = sum(1 for r in data if r[8].strip() and not r[7].strip())
    spec = rs.choice["specialite"]
    assert spec.categories[-1] == "Other"
    assert spec.codes.tolist().count(len(spec.categories) - 1) == other == 10
    # Figure 3: "Aucune" (column 61) and "Aucune." (column 67) each stay in their own block.
    inst, inst_m = rs.multi["institutions"]
    suj, suj_m = rs.multi["sujets"]
    assert int(inst_m[:, inst.index("Aucune")].sum()) == sum(r[61] == "Aucune" for r in data)
    assert int(suj_m[:, suj.index("Aucune.")].sum()) == sum(r[67] == "Aucune." for r in data)
    # The scale item from its own column: 0-10 note (column 17).
    notes = [int(r[17]) for r in data if r[17]]
    assert out["items"]["aisance_note"]["mean"] == pytest.approx(sum(notes) / len(notes))


# --------------------------------------------------------------------------- Kobo, ODK


KOBO_OPTIONS = ("Ambulance", "Bicycle", "Boat or canoe", "Bus", "Donkey or mule cart")


def test_kobo_csv_na_and_split_columns():
    rows = rows_of("kobo/transportation.csv")
    data = rows[1:]
    assert len(data) == 4  # by hand: 4 records (each a little wider than the header)
    out = score("kobo-transportation.yaml", real("kobo/transportation.csv"))
    assert out["respondents"] == 4
    rs = read_responses(
        load_survey(SURVEYS / "kobo-transportation.yaml"), [real("kobo/transportation.csv")]
    )
    labels, matrix = rs.multi["transport"]
    # Figure 1: the ambulance column (0) is True in 2 rows; keke_pepe (5) is a code, never True.
    assert int(matrix[:, labels.index("Ambulance")].sum()) == sum(r[0] == "True" for r in data)
    assert int(matrix[:, labels.index("Keke napep")].sum()) == sum(r[5] == "True" for r in data)
    # Figure 2: "n/a" is no answer: the ambulance frequency (column 11) has 1 daily, 1 weekly.
    freq = rs.choice["frequency_ambulance"]
    answers = [r[11] for r in data if r[11] != "n/a"]
    assert freq.codes.tolist().count(0) == answers.count("daily") == 1
    assert freq.codes.tolist().count(1) == answers.count("weekly") == 1
    assert (freq.codes >= 0).sum() == len(answers)


def test_kobo_xlsx_joined_column_and_none():
    import openpyxl

    wb = openpyxl.load_workbook(real("kobo/transportation_export.xlsx"), read_only=True)
    data = [r for r in wb.worksheets[0].iter_rows(min_row=2, values_only=True) if any(r)]
    wb.close()
    assert len(data) == 4 and [r[0] for r in data] == [
        "none",
        "ambulance bicycle",
        "ambulance",
        "taxi other",
    ]
    out = score("kobo-transportation.yaml", real("kobo/transportation_export.xlsx"))
    assert out["respondents"] == 4
    rs = read_responses(
        load_survey(SURVEYS / "kobo-transportation.yaml"),
        [real("kobo/transportation_export.xlsx")],
    )
    labels, matrix = rs.multi["transport"]
    rows = [{labels[k] for k in range(len(labels)) if matrix[i, k]} for i in range(4)]
    assert rows == [{"None of these"}, {"Ambulance", "Bicycle"}, {"Ambulance"}, {"Taxi", "Other"}]
    freq = rs.choice["frequency_taxi"]
    assert freq.codes.tolist() == [-1, -1, -1, 0]  # "daily" in the last row only


def test_odk_central_group_paths_and_csv_zip(tmp_path):
    rows = rows_of("odk-central/selectMultiple.csv")
    assert len(rows) - 1 == 2
    assert [(r[2], r[6]) for r in rows[1:]] == [("a b", "x y z"), ("b", "m x")]
    s = load_survey(SURVEYS / "odk-central-select-multiple.yaml")
    zipped = tmp_path / "selectMultiple.csv.zip"
    with zipfile.ZipFile(zipped, "w", zipfile.ZIP_DEFLATED) as z:
        z.write(real("odk-central/selectMultiple.csv"), "selectMultiple.csv")
        z.writestr("selectMultiple-repeat.csv", "KEY,PARENT_KEY\n")
        z.writestr("media/photo.jpg", b"\xff\xd8")
    for path in (real("odk-central/selectMultiple.csv"), zipped):
        out = score("odk-central-select-multiple.yaml", path)
        assert out["respondents"] == 2
        rs = read_responses(s, [path])
        labels, m1 = rs.multi["q1"]
        assert [{labels[k] for k in range(5) if m1[i, k]} for i in range(2)] == [
            {"Letter A", "Letter B"},
            {"Letter B"},
        ]
        labels2, m2 = rs.multi["q2"]  # the question in group g1: header "g1-q2"
        assert [{labels2[k] for k in range(5) if m2[i, k]} for i in range(2)] == [
            {"Letter X", "Letter Y", "Letter Z"},
            {"Letter M", "Letter X"},
        ]
    ins = inspect_responses(s, [zipped])
    assert ins.files[0].source == "zip"
