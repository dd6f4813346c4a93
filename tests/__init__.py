"""The test suite, a package so that every test module has a dotted name of its own.

``tests/formats/test_html.py`` is imported as ``tests.formats.test_html``: two folders may hold
test files with the same base name, and the helper modules (``tests.project``,
``tests.catalog_cases``, ``tests.paths``) are imported by their full name, never through
``sys.path`` tricks.
"""
