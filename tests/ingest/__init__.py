"""Tests of i18n_pipeline.ingest: one module per ingest module."""
