"""Decoding what arrives: encodings of pages and scraped text, and binary files refused."""

from __future__ import annotations

import pytest

from i18n_pipeline.errors import DocumentError
from i18n_pipeline.ingest import ingest
from i18n_pipeline.ingest.decode import decode_bytes

PAGE = (
    "<html><head><title>Réunion à Genève</title></head><body><article>"
    "<h1>Réunion à Genève</h1>"
    "<p>Hélène a présenté l’étude « Traite des êtres humains » à l’équipe — c’était “génial”, "
    "a-t-elle dit. Les délégués ont salué la qualité du travail réalisé.</p>"
    "<p>La réunion s’est tenue à Genève. Les participants ont décidé de poursuivre la coopération "
    "et de publier un rapport commun l’année prochaine.</p>"
    "</article></body></html>"
)


def test_windows_1252_page_is_decoded() -> None:
    result = ingest(PAGE.encode("cp1252"), "page.html", source_language="fr")
    assert result.metadata["title"] == "Réunion à Genève"
    assert "Hélène a présenté l’étude « Traite des êtres humains » à l’équipe — c’était “génial”" in result.markdown
    assert result.language == "fr"


def test_latin_1_page_is_decoded() -> None:
    latin = PAGE.replace("’", "'").replace("—", "-").replace("“", '"').replace("”", '"')
    result = ingest(latin.encode("latin-1"), "page.html", source_language="fr")
    assert "Hélène a présenté l'étude « Traite des êtres humains » à l'équipe" in result.markdown
    assert "Genève" in result.metadata["title"]


def test_latin_1_scraped_text_is_decoded() -> None:
    text = "Señora Muñoz Visita La Región De Génova\nLa señora Muñoz habló con los niños del año pasado.\n"
    result = ingest(text.encode("latin-1"), "note.txt", source_language="es")
    assert result.metadata["title"] == "Señora Muñoz Visita La Región De Génova"
    assert "La señora Muñoz habló con los niños del año pasado." in result.markdown


@pytest.mark.parametrize(
    "data",
    [
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10",
        b"\x00\x01\x02binary\x00\x00\x00stuff",
        b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n",
    ],
)
def test_binary_input_is_refused(data: bytes) -> None:
    with pytest.raises(DocumentError, match=r"not text"):
        ingest(data, "upload.bin")


def test_byte_order_marks_decide_and_newlines_are_normalised() -> None:
    assert decode_bytes("Olá\r\nmundo\rfin".encode("utf-16"), "a.txt") == "Olá\nmundo\nfin"
    assert decode_bytes(b"\xef\xbb\xbfCaf\xc3\xa9\n", "a.txt") == "Café\n"
    with pytest.raises(DocumentError, match="broken utf-8-sig text"):
        decode_bytes(b"\xef\xbb\xbfCaf\xe9\n", "a.txt")


def test_a_page_labelled_latin_1_is_read_as_windows_1252() -> None:
    # WHATWG: the curly quotes of windows-1252 (0x93, 0x94) are C1 controls in Latin-1.
    page = b'<html><head><meta charset="ISO-8859-1"></head><body>\x93Caf\xe9\x94</body></html>'
    assert "“Café”" in decode_bytes(page, "page.html")


def test_control_characters_are_refused() -> None:
    with pytest.raises(DocumentError, match="control characters"):
        decode_bytes(bytes(range(1, 32)) * 20, "data.txt")
