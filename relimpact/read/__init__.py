"""Reading: export files in, a ``ResponseSet`` out.

Takes: a ``Survey`` and response files as survey tools export them. Gives: the typed
answers (``responses``), read by ``reading`` from the bytes (``readers``: encodings,
delimiters, header rows, xlsx) with each question matched to its column (``columns``,
``answers``), the refusals when a file does not fit (``fit``), the groups of a segment
question and their suppression (``groups``), and a tidy table (``tables``).
"""
