"""What the CLI prints: tables for the terminal and JSON/CSV/Markdown for scripts.

Takes: a validated survey (``check``), an inspection of the files (``inspect``) or a
``ScoreResult`` (``score``). Gives: text; ``terminal`` holds the plain console helpers.
"""
