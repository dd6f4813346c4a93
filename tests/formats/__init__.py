"""Tests of i18n_pipeline.formats: one module per format module, the contract suite every
format passes, and the golden files of tests/data/<format>/."""
