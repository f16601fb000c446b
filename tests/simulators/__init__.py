"""Simulators of the exports survey tools write for the forms relimpact builds.

Each simulator reads the BUILT FILE (the .gs run against a FormApp stand-in, the
Qualtrics and LimeSurvey files through a small parser of their documented grammar, the
REDCap dictionary, the Word file), takes the answers of made-up respondents (what each
one ticked or wrote, keyed by the text they were shown), and writes the export that
tool writes for that form, from its documented layout. Nothing here reads survey.yaml's
ids, aliases or codes: a simulator knows only what the built file told the tool.
"""
