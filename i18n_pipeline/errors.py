"""The pipeline's exceptions.

Every error a user can cause is a :class:`PipelineError`; ``cli.py`` turns it into a message and
exit code 1. Messages follow one shape: ``"<where>: <what>; <how to fix>"``.
"""

from __future__ import annotations


class PipelineError(Exception):
    """A problem the user can fix; never shown with a traceback."""

    def __init__(self, where: str, what: str, fix: str = "") -> None:
        self.where = where
        self.what = what
        self.fix = fix
        message = f"{where}: {what}" if where else what
        if fix:
            message += f"; {fix}"
        super().__init__(message)

    def __reduce__(self) -> tuple[type[PipelineError], tuple[str, str, str]]:
        # Rebuilt from its parts (the default pickles the message alone, which __init__ cannot
        # take): a worker process's error reaches the command line as the error it raised.
        return type(self), (self.where, self.what, self.fix)


class ConfigError(PipelineError):
    """pipeline.yaml or glossary.yaml is wrong."""


class DocumentError(PipelineError):
    """A source release cannot be read or parsed."""


class CatalogError(PipelineError):
    """A PO/POT file cannot be read, or writing it would lose work."""


class EngineError(PipelineError):
    """A translation engine is missing, failed or answered nonsense."""


class NoProjectError(ConfigError):
    """The folder has no pipeline.yaml (the command line says how to point at a project)."""


class ReleaseExistsError(DocumentError):
    """Ingest would replace a release that has other content (the command line says how to allow it)."""


class UsageError(PipelineError):
    """The command line asks for something that cannot be (exit code 2)."""
