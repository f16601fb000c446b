"""The survey: survey.yaml in, a validated ``Survey`` out.

Takes: a survey.yaml path (or a bundled template's name). Gives: plain frozen dataclasses
(``model``) made by the pydantic schema at the edge (``schema``, errors at file:line with
did-you-mean), ``load_survey`` (``load``), the ``report:`` branding block (``branding``)
and the bundled template library with ``init`` (``templates``).
"""
