"""Scoring: a ``ResponseSet`` in, the one ``ScoreResult`` out.

Takes: responses (and an earlier wave, weights, segments). Gives: every figure the
renderers show (``engine``), from answers as scored (``items``), with the statistics
(``stats``, each checked against R or SciPy), change between waves (``change``) and who
we heard from (``representation``).
"""
