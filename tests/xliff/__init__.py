"""Tests of i18n_pipeline.xliff: writing (spec.py checks what the OASIS specifications require),
reading, and the import rules, end to end on the bundled project."""
