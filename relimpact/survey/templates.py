"""The bundled survey templates (the ``surveys/`` folder) and ``init``.

In a checkout the templates live in ``surveys/`` beside the package; an
installed wheel carries them as ``relimpact/_surveys``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from relimpact.common.errors import OutputError, UsageError
from relimpact.common.text import did_you_mean

DEFAULT_TEMPLATE = "network-health"


@dataclass(frozen=True)
class TemplateInfo:
    name: str
    title: str
    questions: int
    scale_items: int
    description: str
    path: Path


def templates_dir() -> Path:
    package = Path(__file__).resolve().parent.parent  # relimpact/
    for candidate in (package / "_surveys", package.parent / "surveys"):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError("the bundled surveys folder is missing from this installation")


def template_names() -> list[str]:
    return sorted(p.stem for p in templates_dir().glob("*.yaml"))


def template_path(name: str) -> Path:
    names = template_names()
    if name not in names:
        raise UsageError(
            f"there is no bundled template '{name}'{did_you_mean(name, names)}.",
            hint="Bundled templates: " + ", ".join(names) + " (see 'relimpact templates').",
        )
    return templates_dir() / f"{name}.yaml"


def list_templates() -> list[TemplateInfo]:
    from relimpact.survey.load import load_survey

    out = []
    for name in template_names():
        path = templates_dir() / f"{name}.yaml"
        s = load_survey(path)
        first_line = s.description.split(". ")[0].strip().rstrip(".") + "." if s.description else ""
        out.append(
            TemplateInfo(name, s.title, len(s.questions), len(s.scale_questions), first_line, path)
        )
    return out


NEXT_STEPS = """\
# {title}

This folder holds a relimpact survey made from the bundled `{name}` template.

What to do next:

1. Edit `survey.yaml`: your network's name (the `# network:` line under the title:
   remove its first `#`), the questions, the segments (who answered), and, if you know
   how many members are in each group, `population` (the commented example at the end
   of the file, where the template has one).
2. Check it: `relimpact check {folder}/survey.yaml`
3. Turn it into a form people can answer:
   `relimpact build {folder}/survey.yaml --to xlsform -o {folder}/form.xlsx`
   (KoboToolbox or ODK), or `--to html` for a printable paper form.
4. When the answers are in, download them from your survey tool, unedited, and run
   `relimpact inspect {folder}/survey.yaml responses.csv`, then
   `relimpact report {folder}/survey.yaml responses.csv --audience funder -o funder.html`
   and `--audience members -o members.html`.
"""


def init_folder(folder: Path, template: str = DEFAULT_TEMPLATE, force: bool = False) -> list[Path]:
    """Write ``folder/survey.yaml`` and ``folder/README.md`` from a bundled template.

    Refuses to touch an existing folder that is not empty unless ``force``.
    """
    from relimpact.survey.load import load_survey

    source = template_path(template)
    if folder.exists() and not folder.is_dir():
        raise OutputError(
            "exists and is a file, not a folder.", where=str(folder), hint="Choose another name."
        )
    if folder.is_dir() and any(folder.iterdir()) and not force:
        raise OutputError(
            "already exists and is not empty; nothing was written.",
            where=str(folder),
            hint="Choose a new folder, or add --force to overwrite survey.yaml and README.md.",
        )
    survey = load_survey(source)
    text = source.read_text(encoding="utf-8")
    readme = NEXT_STEPS.format(title=survey.title, name=template, folder=folder.as_posix())
    from relimpact.common.output import write_atomic

    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"cannot write here ({exc.strerror}).", where=str(folder)) from None
    written = []
    for name, content in (("survey.yaml", text), ("README.md", readme)):
        target = folder / name
        # a temporary file created exclusively under a random name, then renamed: a planted
        # .survey.yaml.tmp (or a symlink of that name) is never written through
        write_atomic(target, content)
        written.append(target)
    return written
