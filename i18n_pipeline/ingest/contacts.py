"""The contact block of a release: who the press may call, moved into the front matter so that
names and telephone numbers never reach a translation engine.

Layouts read:

* a label line ("For further information, please contact:", "Media contacts:", "For media:",
  "Para más información:", "Contact presse :"), then per contact a name, an office, and
  labelled or bare telephone numbers and e-mail addresses, one a line;
* the one-paragraph form ("For more information, please contact Jorge Galindo at IOM Geneva,
  Tel: +41 22 717 9205, Email: jgalindo@iom.int", several contacts joined by "or", ";").

A block ends at a line that is the page's footer or a sentence of running text.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from i18n_pipeline.ingest.chrome import ends_body
from i18n_pipeline.ingest.shared import split_words, squeeze
from i18n_pipeline.segment import EMAIL_PATTERN

__all__ = ["CONTACT_LABEL_RE", "inline_contacts", "normalise_phone", "read_contact_block"]

CONTACT_LABEL_RE = re.compile(
    r"^(?:for\s+(?:further|more)\s+information,?\s*(?:please\s+)?(?:contact|call|write\s+to)|"
    r"(?:for\s+)?(?:media|press)\s+(?:contacts?|enquiries|inquiries|relations)(?:,?\s*please\s+contact)?|"
    r"for\s+(?:the\s+)?(?:media|press)|contacts?|media|press|"
    r"para\s+m[áa]s\s+informaci[óo]n,?.*|contactos?\s+(?:de\s+)?(?:prensa|medios)|prensa|"
    r"pour\s+plus\s+d'informations?,?.*|contacts?\s+(?:presse|m[ée]dias)|presse)\s*:?$",
    re.I,
)
_INLINE_RE = re.compile(
    r"^(?:for\s+(?:further|more)\s+information|for\s+media\s+(?:enquiries|inquiries)|media\s+contacts?|"
    r"para\s+m[áa]s\s+informaci[óo]n|pour\s+plus\s+d'informations?)[^:]*?(?:contact(?:ar|er)?|:)\s*(?P<rest>.+)$",
    re.I,
)
_EMAIL_RE = re.compile(EMAIL_PATTERN)
_FIELD_RE = re.compile(
    r"^(?P<label>tel(?:ephone|éfono|éphone)?|phone|ph|mob(?:ile)?|cell|m[óo]vil|portable|fax|e-?mail|courriel|"
    r"correo(?:\s+electr[óo]nico)?)\s*\.?\s*[:.]?\s*(?P<value>.*)$",
    re.I,
)
_PHONE_RE = re.compile(r"^\+?[\d\s().\-/+]{7,}$")
_ORDER = ("name", "office", "phone", "mobile", "fax", "email")


def normalise_phone(text: str) -> str:
    """``Tel: + 52 55 5536 3922`` -> ``+52 55 5536 3922``: one space between groups, no label."""
    first = re.search(r"[+(\d]", text)
    text = text[first.start() :] if first else text.strip()
    text = re.sub(r"\+\s+", "+", text)
    text = re.sub(r"\s*\(0\)\s*", " ", text) if text.startswith("+") else text
    return re.sub(r"\s+", " ", text).strip()


def _key(label: str) -> str:
    label = label.lower()
    if label.startswith(("e", "cou", "cor")):
        return "email"
    if label.startswith(("mob", "cell", "móv", "mov", "port")):
        return "mobile"
    if label.startswith("fax"):
        return "fax"
    return "phone"


def _running_text(text: str) -> bool:
    return len(split_words(text)) >= 15 and bool(re.search(r"[.!?]['\"”’)]*$", text))


def read_contact_block(texts: Sequence[str]) -> tuple[list[dict[str, str]], int]:
    """The contacts of the lines after a contact label, and how many of those lines they take."""
    contacts: list[dict[str, str]] = []
    current: dict[str, str] = {}
    pending: str | None = None
    used = 0
    for number, raw in enumerate(texts):
        text = raw
        field_match = _FIELD_RE.match(text)
        is_field = field_match is not None and (field_match.group("value") == "" or not field_match.group("value")[0].isalpha()
                                                 or _EMAIL_RE.search(field_match.group("value")) is not None)
        if not is_field and (ends_body(text) or _running_text(text)):
            break
        used = number + 1
        if field_match is not None and is_field:
            key = _key(field_match.group("label"))
            value = field_match.group("value").strip()
            if not value:
                pending = key
                continue
            text, pending = value, key
        email = _EMAIL_RE.search(text)
        if pending == "email" or (email and pending is None):
            if email:
                current.setdefault("email", email.group(0))
            pending = None
            continue
        if pending is not None or _PHONE_RE.match(text):
            key = pending if pending in {"phone", "mobile", "fax"} else "phone"
            current.setdefault(key, normalise_phone(text))
            pending = None
            continue
        if "name" in current and ("email" in current or "phone" in current or "mobile" in current):
            contacts.append(current)
            current = {}
        if "name" not in current:
            current["name"] = squeeze(text)
        elif "office" not in current:
            current["office"] = squeeze(text)
        else:
            current["office"] += ", " + squeeze(text)
    if current:
        contacts.append(current)
    return [{k: c[k] for k in _ORDER if k in c} for c in contacts], used


def inline_contacts(paragraph: str) -> list[dict[str, str]] | None:
    """The contacts of a one-paragraph contact block, or None when ``paragraph`` is not one."""
    m = _INLINE_RE.match(squeeze(paragraph))
    if m is None or not (_EMAIL_RE.search(paragraph) or re.search(r"\d[\d\s().-]{6,}", paragraph)):
        return None
    contacts = []
    for part in re.split(r"\s*;\s*|,?\s+(?:or|and|o|y|ou|et)\s+(?=[A-ZÀ-Þ])", m.group("rest")):
        pieces = [p.strip(" .") for p in re.split(r",\s*|\s+at\s+|\s+en\s+|\s+à\s+", part) if p.strip(" .")]
        contact, _ = read_contact_block([re.sub(r"^(?:mr|ms|mrs|dr)\.?\s+", "", pieces[0], flags=re.I), *pieces[1:]]) \
            if pieces else ([], 0)
        contacts += [c for c in contact if len(c) > 1]
    return contacts or None
