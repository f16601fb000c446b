"""Renderers: one result object in, terminal tables / JSON / CSV / Markdown / HTML out."""
