"""Parsing XML that arrives from outside (XLIFF from an agency, TBX from a terminologist, a
TMX memory).

One hardened parser: no DTD, no entity expansion, no network (XXE and entity bombs are refused),
comments and processing instructions dropped. Errors are :class:`PipelineError` naming the file
and line, with the fix. Writers keep their own shapes; this room only reads.
"""

from __future__ import annotations

from typing import Any

from i18n_pipeline.errors import PipelineError

__all__ = ["XML_NS", "local_name", "namespace_of", "parse_xml", "xml_error"]

XML_NS = "http://www.w3.org/XML/1998/namespace"


def xml_error(path: str, line: int | None, what: str, fix: str) -> PipelineError:
    return PipelineError(f"{path}:{line}" if line else path, what, fix)


def parse_xml(data: bytes, path: str, kind: str) -> Any:
    """The root element of ``data``; ``path`` names the file in errors, ``kind`` its format
    ("XLIFF", "TBX", "TMX").

    Entity references are refused (with their line), not expanded: files from CAT tools and
    termbases never need DTD entities, and expanding them is how XML attacks work.
    """
    from lxml import etree  # type: ignore[import-untyped]  # no lxml-stubs in the venv
    parser = etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
    )
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as error:
        line = error.lineno or (error.position[0] if error.position else None)
        raise xml_error(
            path, line, f"not well-formed XML ({error.msg})",
            "fix the XML at that line (in text, write & as &amp; and < as &lt;), or export the file again",
        ) from error
    for element in root.iter(etree.Entity):
        raise xml_error(
            path, element.sourceline, f"entity reference {element.text} is not expanded",
            f"{kind} needs no DTD entities: replace the reference with its text",
        )
    return root


def namespace_of(element: Any) -> str:
    """The namespace URI of an element ("" for none)."""
    tag = element.tag if isinstance(element.tag, str) else ""
    return tag[1 : tag.index("}")] if tag.startswith("{") else ""


def local_name(element: Any) -> str:
    """The element's name without its namespace ("" for comments and the like)."""
    tag = element.tag if isinstance(element.tag, str) else ""
    return tag.rsplit("}", 1)[-1]
