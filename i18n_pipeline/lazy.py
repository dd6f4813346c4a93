"""A package's names imported with their module when first used (PEP 562).

The package root, ``pipeline/`` and ``xliff/`` use it so that a command imports only the rooms
it needs; each also imports its names under ``TYPE_CHECKING``, which is what they are to mypy
and to the architecture test.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable, Mapping
from typing import Any

__all__ = ["attribute_loader"]


def attribute_loader(package: str, modules: Mapping[str, str]) -> Callable[[str], Any]:
    """The ``__getattr__`` of ``package``: ``modules`` maps each name to the module defining it.
    A name found is kept in the package, so its module is looked up once."""

    def load(name: str) -> Any:
        module = modules.get(name)
        if module is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(module), name)
        setattr(sys.modules[package], name, value)
        return value

    return load
