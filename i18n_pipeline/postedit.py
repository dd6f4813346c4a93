"""Editing around the engine: what is prepared before it and repaired after it.

The two halves are one contract, so they share a room. Before the engine
(:func:`protect_for_engine`, :func:`sentence_case`), entities, names after honorifics and
glossary terms become placeholders whose target text we already know; a possessive before such a
term is rewritten ("Mexico's <term>" → "the <term> of Mexico") so the engine puts an article
there; headlines in Title Case go in sentence case. These rules read English source text.

After the engine (:func:`tidy_machine_output`), the protected values go back with the small
repairs a translator would otherwise redo: first the repairs that hold for every language, then
those of the target language, one section per language (Spanish, French), registered in
``_REPAIRS`` by language code. A rule for French is found under French.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from i18n_pipeline.glossary import Glossary, find_terms
from i18n_pipeline.localise import find_entities, render_entity
from i18n_pipeline.segment import Protected, protect, unprotect

__all__ = ["proper_nouns", "protect_for_engine", "sentence_case", "tidy_machine_output"]


# --- before the engine (English source text) ----------------------------------------------------

_HONORIFIC_NAME_RE = re.compile(r"\b(?:Mr|Mrs|Ms|Dr|Prof|Sir|Dame)\.?\s+([A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+)*)")
_POSSESSIVE_RE = re.compile(r"\b([A-Z][\w-]*(?: [A-Z][\w-]*)*)['’]s (<\d+/>)")
_TITLE_WORD_RE = re.compile(r"(?<![\w<>/-])([A-Z])([a-z]+)\b")
# What the patterns need in a text to match at all, tested first (a substring test costs far
# less than a pass of the pattern; tests/test_postedit.py checks each pair on generated text).
_HONORIFIC_HINTS = ("Mr", "Ms", "Dr", "Prof", "Sir", "Dame")  # "Mrs" holds "Mr"
_POSSESSIVE_HINT = "s <"  # _POSSESSIVE_RE's "'s <" and "’s <"
_TAG_RE = re.compile(r"<[^>]*>")
_LONG_WORD_INITIAL_RE = re.compile(r"([^\W\d_])[^\W\d_]{3,}")  # words of 4+ letters: their first
# A capitalised word after a word or ",;:)" and a space. The space leads, so re finds the places
# to try by a fast literal search (2x faster than a leading look-behind; the same matches).
_NAME_INSIDE_RE = re.compile(r" (?<=[\w,;:)] )([A-Z][a-z]+)\b")
_LETTER_RE = re.compile(r"[^\W\d_]")


def protect_for_engine(
    text: str, source_language: str, target_language: str, glossary: Glossary | None
) -> Protected:
    """Replace entities (numbers, dates) and glossary terms by placeholders the engine keeps."""
    spans: list[tuple[int, int, str]] = []
    for entity in find_entities(text, source_language):
        initial = not text[: entity.start].strip()  # opens the sentence: capitalise
        spans.append((entity.start, entity.end, render_entity(entity, target_language, initial=initial)))
    # A name after an honorific is a name ("Mr. Smith" is not "Sr. Herrero").
    if any(hint in text for hint in _HONORIFIC_HINTS):
        for m in _HONORIFIC_NAME_RE.finditer(text):
            spans.append((m.start(1), m.end(1), m.group(1)))
    if glossary is not None:
        taken = [(s, e) for s, e, _ in spans]
        for term in find_terms(glossary, text, target_language):
            if all(term.end <= s or term.start >= e for s, e in taken):
                spans.append((term.start, term.end, term.target))
    protected = protect(text, spans)
    # "Mexico's <term>": a possessive before an opaque term reads "México es <term>"; "the <term>
    # of Mexico" is what the engine translates well ("la <term> de México").
    if _POSSESSIVE_HINT not in protected.text:
        return protected
    rewritten = _POSSESSIVE_RE.sub(lambda m: f"the {m.group(2)} of {m.group(1)}", protected.text)
    return Protected(rewritten, protected.values)


def proper_nouns(sources: Iterable[str]) -> frozenset[str]:
    """Capitalised words seen inside running sentences (not at their start): names."""
    names: set[str] = set()
    for source in sources:
        if _is_title_case(source):
            continue
        names.update(_NAME_INSIDE_RE.findall(source))
    return frozenset(names)


def _is_title_case(text: str) -> bool:
    """Most words of four letters or more (at least three) start with a capital."""
    initials = _LONG_WORD_INITIAL_RE.findall(_TAG_RE.sub(" ", text) if "<" in text else text)
    if len(initials) < 3:
        return False
    capitalised = sum(map(str.isupper, initials))
    return capitalised >= 3 and capitalised >= 0.7 * len(initials)


def sentence_case(protected: Protected, names: frozenset[str]) -> Protected:
    """Headlines In Title Case confuse engines ("Compila Casos"): send them in sentence case.

    The first word, acronyms, protected terms and words the release uses as names elsewhere
    keep their capital; the engine's output then reads as a target-language headline should.
    """
    text = protected.text
    if not _is_title_case(text):
        return protected
    first = _LETTER_RE.search(text)
    start = first.end() if first else 0

    def lower(m: re.Match[str]) -> str:
        word = m.group(0)
        return word if m.start() < start or word in names else word.lower()

    return Protected(_TITLE_WORD_RE.sub(lower, text), protected.values)


# --- after the engine ---------------------------------------------------------------------------


def tidy_machine_output(protected: Protected, output: str, target_language: str = "") -> str:
    """Put protected values back, with the small repairs a translator would otherwise redo.

    Raises KeyError when the engine lost a protected value.
    """
    sent = protected.text
    repairs = _REPAIRS.get(target_language, _NO_REPAIRS)
    output = _collapse_doubled_spaces(sent, output)
    output = _keep_case_after_leading_placeholder(sent, output)
    output = _drop_blank_before_punctuation(sent, output)
    output = repairs.before_restore(output, protected)
    target = unprotect(output, protected)
    target = _drop_article_before_bare_name(sent, target)
    target = repairs.after_restore(target)
    return _drop_doubled_full_stop(target, protected)


@dataclass(frozen=True)
class _LanguageRepairs:
    """The repairs of one target language: on the engine's output while the protected values are
    still placeholders (``before_restore``), and on the text with them back (``after_restore``)."""

    before_restore: Callable[[str, Protected], str] = lambda output, protected: output
    after_restore: Callable[[str], str] = lambda target: target


_NO_REPAIRS = _LanguageRepairs()


# --- every language -----------------------------------------------------------------------------

_LEADING_PLACEHOLDERS_RE = re.compile(r"((?:</?\d+/?>\s*)+)(\w)")
# The articles of the engine's target languages, Spanish and French (Catalan and Italian share
# some): whatever the target, a short name never gets one its source did not have.
_LEADING_ARTICLE_RE = re.compile(r"^(?:(?:[Ll]e|[Ll]a|[Ll]es|[Ee]l|[Ll]os|[Ll]as) |[Ll]['’])(?=\w)")
_DOUBLED_SPACES_RE = re.compile(r"(?<=\S) {2,}(?=\S)")
_BLANK_BEFORE_MARK_RE = re.compile(r"(?<=\w) +([,.;:!?])(?=\s|$)")
_BLANK_BEFORE_MARK_HINTS = (" ,", " .", " ;", " :", " !", " ?")
_ARTICLE_HINT = " <"  # the articles' patterns: an article, a space, a placeholder


def _collapse_doubled_spaces(sent: str, output: str) -> str:
    """Blanks the engine doubled between words; kept when the source had doubled blanks too."""
    if "  " not in sent and "  " in output:
        output = _DOUBLED_SPACES_RE.sub(" ", output)
    return output


def _keep_case_after_leading_placeholder(sent: str, output: str) -> str:
    """An engine capitalises the first word it sees; after a leading placeholder, keep the
    source's case ("<1/> has worked" must not become "<1/> Ha trabajado")."""
    lead = _LEADING_PLACEHOLDERS_RE.match(sent)
    out = _LEADING_PLACEHOLDERS_RE.match(output) if lead else None
    if lead and out and lead.group(2).islower() and out.group(2).isupper():
        output = output[: out.start(2)] + out.group(2).lower() + output[out.end(2) :]
    return output


def _drop_blank_before_punctuation(sent: str, output: str) -> str:
    """Apertium leaves a blank before punctuation it moved ("negociable ,"), unless the source
    had one there."""
    if not any(hint in output for hint in _BLANK_BEFORE_MARK_HINTS):
        return output
    return _BLANK_BEFORE_MARK_RE.sub(lambda m: m.group(0) if f" {m.group(1)}" in sent else m.group(1), output)


def _drop_article_before_bare_name(sent: str, target: str) -> str:
    """A name alone ("Mexico" as a place) gets no article the source did not have ("le Mexique")."""
    if len(sent.split()) <= 3 and not re.match(r"(?i)(?:the|an?)\s", sent):
        bare = _LEADING_ARTICLE_RE.sub("", target)
        if bare != target:
            target = bare[:1].upper() + bare[1:] if sent[:1].isupper() else bare
    return target


def _drop_doubled_full_stop(target: str, protected: Protected) -> str:
    """A protected value ending in a full stop ("EE. UU.") before the sentence's own full stop."""
    for value in protected.values.values():
        if value.endswith(".") and value + "." in target and value + ".." not in target:
            target = target.replace(value + ".", value)
    return target


def _agree_articles(
    output: str, protected: Protected, articles: re.Pattern[str], choose: Callable[[str, str], str]
) -> str:
    """The article an engine puts before a protected term follows the English, not the term:
    "el <Oficina …>". ``articles`` finds an article before a placeholder; ``choose(article,
    word)`` gives the article (in lower case) that goes before a term whose first word is
    ``word``. Only names of institutions are concerned, which start with a capital."""

    def fix(m: re.Match[str]) -> str:
        value = protected.values.get(m.group(2), "")
        first = re.match(r"\w+", value)
        if not first or not first.group(0)[:1].isupper():
            return m.group(0)
        article = m.group(1)
        better = choose(article.lower(), first.group(0))
        if better == article.lower():
            return m.group(0)
        if article[:1].isupper():
            better = better[:1].upper() + better[1:]
        return f"{better}{'' if better.endswith(chr(39)) else ' '}{m.group(2)}"

    return articles.sub(fix, output) if _ARTICLE_HINT in output else output


# --- Spanish ------------------------------------------------------------------------------------

# The gender of a term's first word decides its article: a heuristic that holds for institution
# names (-a, -ión, -dad, -tud, -umbre are feminine).
_SPANISH_FEMININE = re.compile(r"^\w*(?:a|ión|dad|tud|umbre)$", re.I)
_SPANISH_ARTICLES_RE = re.compile(r"\b(el|del|al|El|Del|Al) (<\d+/>)")
_SPANISH_FEMININE_ARTICLES = {"el": "la", "del": "de la", "al": "a la"}
# Contractions the engine cannot make across a protected term: "de el" → "del", "a el" → "al".
_SPANISH_CONTRACTIONS = {"de": "del", "De": "Del", "a": "al", "A": "Al"}


def _spanish_article(article: str, word: str) -> str:
    if _SPANISH_FEMININE.match(word):
        return _SPANISH_FEMININE_ARTICLES.get(article, article)
    return article


def _spanish_before_restore(output: str, protected: Protected) -> str:
    return _agree_articles(output, protected, _SPANISH_ARTICLES_RE, _spanish_article)


_SPANISH_CONTRACTION_RE = re.compile(r"\b([Dd]e|[Aa]) el\b")


def _spanish_after_restore(target: str) -> str:
    if " el" not in target:
        return target
    return _SPANISH_CONTRACTION_RE.sub(lambda m: _SPANISH_CONTRACTIONS[m.group(1)], target)


# --- French -------------------------------------------------------------------------------------

# As in Spanish, the term's first word decides: -tion, -sion, -té, -ie, -ure, -ence, -ance, -ité,
# -ine, -elle are feminine.
_FRENCH_FEMININE = re.compile(r"^\w*(?:tion|sion|ssion|té|ie|ure|ence|ance|ité|ine|elle)$", re.I)
_FRENCH_ARTICLES_RE = re.compile(r"\b(le|du|au|Le|Du|Au) (<\d+/>)")
_FRENCH_FEMININE_ARTICLES = {"le": "la", "du": "de la", "au": "à la"}
# Elision before a vowel or h: "du Institut" → "de l'Institut".
_FRENCH_ELISIONS = {"le": "l'", "la": "l'", "du": "de l'", "de la": "de l'", "au": "à l'", "à la": "à l'"}


def _french_article(article: str, word: str) -> str:
    better = _FRENCH_FEMININE_ARTICLES.get(article, article) if _FRENCH_FEMININE.match(word) else article
    if word[:1].lower() in "aeiouéèêh":
        better = _FRENCH_ELISIONS.get(better, better)
    return better


def _french_before_restore(output: str, protected: Protected) -> str:
    return _agree_articles(output, protected, _FRENCH_ARTICLES_RE, _french_article)


# French typography: a no-break space before the high marks, so a line never starts with one
# (U+00A0 before ":", the narrow U+202F before ";", "!" and "?", as the Imprimerie nationale's
# rules and most French newsrooms have it), and inside « ». Engines write a plain space or none.
# Only a mark that ends a word and is followed by a space or the end: "10:30" and "https://" stay.
_FRENCH_HIGH_MARK_RE = re.compile(r"(?<=[^\W\d_)\]»”’'\"]) ?([;:!?])(?=\s|$|[\"»”)])")
_FRENCH_GUILLEMETS_RE = re.compile(r"«[ \u00a0\u202f]?|[ \u00a0\u202f]?»")


def _french_after_restore(target: str) -> str:
    target = _FRENCH_HIGH_MARK_RE.sub(lambda m: ("\u00a0" if m.group(1) == ":" else "\u202f") + m.group(1), target)
    return _FRENCH_GUILLEMETS_RE.sub(lambda m: "«\u00a0" if m.group().startswith("«") else "\u00a0»", target)


# --- the repairs by language --------------------------------------------------------------------

_REPAIRS: dict[str, _LanguageRepairs] = {
    "es": _LanguageRepairs(before_restore=_spanish_before_restore, after_restore=_spanish_after_restore),
    "fr": _LanguageRepairs(before_restore=_french_before_restore, after_restore=_french_after_restore),
}
