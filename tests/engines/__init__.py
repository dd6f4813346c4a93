"""Tests of i18n_pipeline.engines: one module per engine module."""
