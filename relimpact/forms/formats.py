"""Every form ``relimpact build`` writes, by ``--to`` name, with its file suffix and what
the tool could not take from the template."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from relimpact.common.errors import UsageError
from relimpact.common.text import did_you_mean
from relimpact.forms.common import BuiltForm
from relimpact.survey.model import Survey


@dataclass(frozen=True)
class FormFormat:
    name: str
    suffix: str  # the usual file suffix
    binary: bool  # bytes (a file only), or text (may go to standard output)
    what: str  # a few words for --help
    next_step: str  # what to do with the file, after "Next: "
    also: tuple[str, ...] = ()  # other suffixes the file may have

    @property
    def suffixes(self) -> tuple[str, ...]:
        """Every suffix a file of this form may have (the usual one first)."""
        return (self.suffix, *self.also)


FORMS: dict[str, FormFormat] = {
    f.name: f
    for f in (
        FormFormat(
            "xlsform",
            ".xlsx",
            True,
            "KoboToolbox/ODK XLSForm",
            "upload it to KoboToolbox (Deploy a project > Upload an XLSForm) or ODK "
            "Central; export with 'XML values and headers' to score.",
        ),
        FormFormat(
            "html",
            ".html",
            False,
            "paper form",
            "open it in a browser and print it (A4).",
            (".htm",),
        ),
        FormFormat(
            "md",
            ".md",
            False,
            "Markdown",
            "paste it into a document or a form builder.",
            (".markdown", ".txt"),
        ),
        FormFormat("csv", ".csv", False, "response sheet", ""),
        FormFormat(
            "google-forms",
            ".gs",
            False,
            "Google Apps Script",
            "paste it into a new project at script.google.com and run createForm "
            "(README: Google Forms, step by step).",
            (".js",),
        ),
        FormFormat(
            "qualtrics",
            ".txt",
            False,
            "Qualtrics Advanced Format TXT",
            "in Qualtrics: Tools > Import/Export > Import Survey, and choose this file.",
        ),
        FormFormat(
            "limesurvey",
            ".txt",
            False,
            "LimeSurvey TSV survey structure",
            "in LimeSurvey: Create survey > Import, and choose this file.",
        ),
        FormFormat(
            "redcap",
            ".csv",
            False,
            "REDCap data dictionary",
            "in REDCap: Project Setup > Data Dictionary > Upload, then enable the "
            "instrument as a survey.",
        ),
        FormFormat(
            "msforms",
            ".docx",
            True,
            "Word file for Microsoft Forms' Quick Import",
            "in Microsoft Forms: New Form > Quick import, choose this file, and check the "
            "form it proposes (README: Microsoft Forms, step by step).",
        ),
    )
}
FORMAT_NAMES = tuple(FORMS)


def _builder(to: str) -> Callable[[Survey], BuiltForm]:
    if to in ("xlsform", "html", "md", "csv"):
        from relimpact.forms.build import build_form

        return lambda survey: BuiltForm(build_form(survey, to))
    if to == "google-forms":
        from relimpact.forms.google_forms import build_google_forms

        return build_google_forms
    if to == "qualtrics":
        from relimpact.forms.qualtrics import build_qualtrics

        return build_qualtrics
    if to == "limesurvey":
        from relimpact.forms.limesurvey import build_limesurvey

        return build_limesurvey
    if to == "redcap":
        from relimpact.forms.redcap import build_redcap

        return build_redcap
    from relimpact.forms.msforms import build_msforms

    return build_msforms


def build(survey: Survey, to: str) -> BuiltForm:
    """The questionnaire as the ``--to`` form, with what the tool could not take."""
    if to not in FORMS:
        raise UsageError(
            f"'{to}' is not a form relimpact can build{did_you_mean(to, FORMAT_NAMES)}.",
            where="--to",
            hint=f"Use one of: {', '.join(FORMAT_NAMES)}.",
        )
    return _builder(to)(survey)
