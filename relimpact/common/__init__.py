"""Shared helpers every layer may use, and that import nothing else of relimpact.

Takes: nothing of relimpact. Gives: the one error family (``errors``), text helpers
(``text``: normalising, escaping, did-you-mean), how answers and roster names are matched
(``names``: shared by reading and by the survey's roster check), safe output files
(``output``), dates (``dates``), input sources (files, pipes, ``-``: ``sources``), which
argument is which (``paths``), the safe YAML loader with line numbers (``yamlsource``) and
the one suppression rule (``privacy``).
"""
