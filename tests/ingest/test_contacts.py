"""The contact block (i18n_pipeline.ingest.contacts): the layouts agencies use, one contact a
line or one paragraph, and where a block ends."""

from __future__ import annotations

import pytest

from i18n_pipeline.ingest.contacts import CONTACT_LABEL_RE, inline_contacts, normalise_phone, read_contact_block


def test_phone_numbers_are_normalised() -> None:
    assert normalise_phone("Tel: + 52 55 5536 3922") == "+52 55 5536 3922"
    assert normalise_phone("+41 (0)22  717 9111") == "+41 22 717 9111"
    assert normalise_phone("(555) 123-4567") == "(555) 123-4567"


@pytest.mark.parametrize(
    "label",
    ["For further information, please contact:", "For more information please contact", "Media contacts:",
     "For media:", "For media enquiries, please contact:", "Press contact", "Para más información, contactar a:",
     "Contactos de prensa:", "Pour plus d'informations, veuillez contacter :", "Contact presse :"],
)
def test_labels_of_contact_blocks(label: str) -> None:
    assert CONTACT_LABEL_RE.match(label)


@pytest.mark.parametrize("line", ["Contact us", "Media contacts and social media accounts worldwide", "Press releases"])
def test_lines_that_are_not_contact_labels(line: str) -> None:
    assert not CONTACT_LABEL_RE.match(line)


def test_one_contact_a_line_until_the_footer() -> None:
    contacts, used = read_contact_block([
        "Kris Janowski", "krzysztof.janowski@un.org", "+380952300437",
        "Ana Pérez", "UNHCR Kyiv", "Mobile: +380 67 123 4567", "Email: aperez@example.org",
        "Contact us", "Subscribe to our news", "© UN Human Rights Monitoring Mission in Ukraine",
    ])
    assert contacts == [
        {"name": "Kris Janowski", "phone": "+380952300437", "email": "krzysztof.janowski@un.org"},
        {"name": "Ana Pérez", "office": "UNHCR Kyiv", "mobile": "+380 67 123 4567", "email": "aperez@example.org"},
    ]
    assert used == 7  # "Contact us" is the site's footer


def test_a_sentence_ends_a_block() -> None:
    contacts, used = read_contact_block(["Ana Pérez", "Tel: +41 22 717 9111",
                                         "The office opened a shelter in the north of the country this week and more."])
    assert (contacts, used) == ([{"name": "Ana Pérez", "phone": "+41 22 717 9111"}], 2)


def test_the_one_paragraph_form() -> None:
    assert inline_contacts(
        "For more information, please contact Jorge Galindo at IOM Geneva, Tel: +41 22 717 9205, "
        "Email: jgalindo@iom.int or Joe Lowry, IOM Vienna, Mobile: +43 660 3776404, Email: jlowry@iom.int"
    ) == [
        {"name": "Jorge Galindo", "office": "IOM Geneva", "phone": "+41 22 717 9205", "email": "jgalindo@iom.int"},
        {"name": "Joe Lowry", "office": "IOM Vienna", "mobile": "+43 660 3776404", "email": "jlowry@iom.int"},
    ]
    assert inline_contacts("For more information on the programme, see the annual report of 2011.") is None
