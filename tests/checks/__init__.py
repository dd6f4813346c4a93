"""Tests of i18n_pipeline.checks: one module per family of checks, and the checks on human translations."""
