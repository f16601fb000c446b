"""Reports for funders and members.

Takes: a ``ScoreResult`` and its ``ResponseSet``. Gives: the report model (``model``:
words and formatted figures, quotes chosen by ``quotes``, charts by ``charts``), laid out
as HTML or Markdown (``render``) and as Word or PDF (``documents``).
"""
