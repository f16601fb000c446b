"""Forms people can field.

Takes: a ``Survey``. Gives: the questionnaire as an XLSForm for KoboToolbox/ODK, a paper
form (HTML), Markdown or a response sheet (``build``).
"""
