"""Checks of what a translation must carry over untouched: placeholders, link texts, URLs and
e-mail addresses, and no engine marks."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

from i18n_pipeline.checks.registry import CheckContext, check
from i18n_pipeline.model import PLACEHOLDER_RE, Severity
from i18n_pipeline.segment import EMAIL_PATTERN, URL_PATTERN, placeholder_tokens, placeholders_match

__all__ = ["check_engine_marks", "check_link_text", "check_placeholders", "check_untranslated_urls"]


@check("placeholders", Severity.CRITICAL)
def check_placeholders(source: str, target: str, context: CheckContext) -> Iterable[str]:
    """Placeholders (<1>…</1>, <2/>) stand for links, emphasis, URLs and e-mail addresses.

    The translation must hold each of the source's placeholders exactly once, with each pair
    opened before it is closed. Critical, as in pofilter ("xmltags", "variables"): a lost
    placeholder loses a link or an address, so such a translation is never used in a build.
    """
    if ("<" not in source and "<" not in target) or placeholders_match(source, target):
        return []  # every placeholder holds a "<"
    return [
        f"placeholders differ: source has {' '.join(placeholder_tokens(source)) or 'none'}, "
        f"translation has {' '.join(placeholder_tokens(target)) or 'none'}; keep each of the "
        "source's placeholders once (the #. comment says what each stands for); until then the "
        "source sentence is published"
    ]


def _paired_texts(text: str) -> dict[str, str]:
    """Number of each paired placeholder -> the text between its tokens (placeholders removed)."""
    texts: dict[str, str] = {}
    for m in PLACEHOLDER_RE.finditer(text):
        if m.group(1) or m.group(3):
            continue
        close = text.find(f"</{m.group(2)}>", m.end())
        if close >= 0:
            texts[m.group(2)] = PLACEHOLDER_RE.sub("", text[m.end() : close])
    return texts


@check("link-text", Severity.FUNCTIONAL)
def check_link_text(source: str, target: str, context: CheckContext) -> Iterable[str]:
    """A pair <1>…</1> around words (a link, emphasis) must hold words in the translation too.

    An empty pair publishes a link nobody can see or click. Functional: the page still works,
    but the reader loses the link. Put the translation of the linked words between the tokens.
    """
    wanted = _paired_texts(source)
    got = _paired_texts(target)
    return [
        f"<{n}>…</{n}> holds no text (the source links \"{text.strip()}\"); put the translated "
        f"words between <{n}> and </{n}>"
        for n, text in wanted.items()
        if text.strip() and n in got and not got[n].strip()
    ]


_ADDRESS_RE = re.compile(f"{URL_PATTERN}|{EMAIL_PATTERN}")
# Looser than the exact rule above: any scheme or "name@host.tld" left in a translation.
_LEAK_RE = re.compile(r"https?://\S+|\b[\w.+-]+@[\w-]+\.[\w.]+")


@check("urls", Severity.CRITICAL)
def check_untranslated_urls(source: str, target: str, context: CheckContext) -> Iterable[str]:
    """URLs and e-mail addresses must reach the reader unchanged.

    The pipeline turns them into placeholders, so a translation normally holds none; one that
    the source writes literally must stay exactly as written, and a translation must not add
    one the source lacks. Critical, like a changed number: a reader who follows a changed
    address reaches someone else. Copy the address from the source, or use its placeholder.
    """
    if not any("://" in text or "@" in text for text in (source, target)):
        return []  # every address either pattern reads has one; the e-mail pattern is slow to fail
    wanted = Counter(m.group(0) for m in _ADDRESS_RE.finditer(source))
    found = Counter(m.group(0).rstrip(".,;:!?)") for m in _LEAK_RE.finditer(target))
    messages = []
    missing = sorted((wanted - found).elements())
    extra = sorted((found - wanted).elements())
    if missing:
        messages.append(
            f"the translation lacks {', '.join(missing)}; copy each address exactly as the source writes it"
        )
    if extra:
        messages.append(
            f"the translation holds {', '.join(extra)}, which the source does not have; use the "
            "source's placeholder or its exact address"
        )
    return messages


_UNKNOWN_MARK_RE = re.compile(r"(?:^|\s)[*#@][^\W\d_][\w-]*", re.UNICODE)


@check("engine-marks", Severity.FUNCTIONAL)
def check_engine_marks(source: str, target: str, context: CheckContext) -> Iterable[str]:
    """Apertium marks words it does not know with *, # or @; such marks must not be published.

    Functional: the sentence still reads, but the marked word is untranslated or wrongly
    inflected. Translate the word and drop the mark.
    """
    if _UNKNOWN_MARK_RE.search(target) and not _UNKNOWN_MARK_RE.search(source):
        return ["the translation holds engine marks (*word, #word or @word); translate the word and drop the mark"]
    return []
