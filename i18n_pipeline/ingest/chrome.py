"""Site chrome: the lines a website puts around every page, as a scraper or a browser copy leaves
them in the text of a release from another site.

A line is chrome when the whole line (case, spacing and closing punctuation aside) is one of the
phrases sites use for it, in English, Spanish or French: skip links, search forms, language
selectors ("English", "Français", "عربي", "EN"), icon labels ("Close", "Share", "Previous
slide", "×"), social networks, legal and footer links, copyright notices, photo credits, cookie
and script notices, "read this in Spanish" links, and the labels of related-content lists.
:func:`chrome_rule` names the rule (shown by ``ingest --explain``); :func:`ends_body` says which
of them end a release's text when they follow it. Sentences are never chrome: a phrase must be
the whole line.
"""

from __future__ import annotations

import datetime as dt
import re

from i18n_pipeline.ingest.shared import is_homoglyph_text, split_words, squeeze

__all__ = ["DATE_LINE_RE", "chrome_rule", "ends_body", "is_related_label", "page_title_parts", "parse_date_line"]


def _phrases(text: str) -> frozenset[str]:
    return frozenset(p.strip() for p in text.split("|") if p.strip())


_RULES: tuple[tuple[str, frozenset[str]], ...] = (
    ("skip-link", _phrases(
        "skip to main content|skip to content|skip to navigation|skip navigation|jump to content|jump to navigation|"
        "saltar al contenido principal|saltar al contenido|ir al contenido|aller au contenu principal|"
        "aller au contenu|passer au contenu|accessibility tools|open toolbar")),
    ("search-form", _phrases(
        "search|search form|search this site|search the site|site search|popular search terms|find a country|"
        "search for the country site|submit search|search…|search...|type to search|buscar|búsqueda|buscador|"
        "rechercher|recherche|lancer la recherche|search results")),
    ("language-selector", _phrases(
        "select your language|select language|change language|choose language|language|languages|idioma|idiomas|"
        "langue|langues|english|français|francais|español|espanol|deutsch|português|portugues|italiano|русский|"
        "українська|عربي|العربية|中文|简体中文|繁體中文|日本語|한국어|nederlands|polski|türkçe|bahasa indonesia|"
        "kiswahili|हिन्दी|فارسی|اردو|en|es|fr|ar|ru|zh|uk|pt|de")),
    ("icon-label", _phrases(
        "close|×|✕|x|menu|open menu|close menu|main menu|toggle navigation|navigation|main navigation|back|share|"
        "share this|share this page|share this article|print|print this page|download|expand|collapse|previous|"
        "next|previous slide|next slide|prev|more|read more|see more|show more|load more|view more|back to top|"
        "top|↑|↓|←|→|▲|▼|play|pause|play video|cerrar|compartir|imprimir|volver|anterior|siguiente|ver más|"
        "leer más|fermer|partager|imprimer|retour|précédent|suivant|lire la suite|en savoir plus|voir plus|"
        "donate|donate now|dona|dona ahora|faire un don|subscribe|subscribe now|sign up|log in|login|sign in|"
        "register|ok|accept|accept all|reject all|cookie settings|manage cookies|listen|listen to this article|"
        "zoom|enlarge|fullscreen|copy link|copy url|email this|tweet|advertisement|advertisements|publicidad|"
        "publicité|sponsored|breadcrumb|you are here|home|inicio|accueil|sites|change site|global sites|"
        "regional sites|country sites|get help|click to view more|print article|resize text|full screen|"
        "autoplay|skip ad|view photos|view photo|view gallery|photo gallery|view graphic|buy photo|caption|"
        "hide caption|toggle caption|enlarge this image|comments|show comments|comment|more options|"
        "discussion policy|username|password|image|video|audio|watch|watch video|dona aquí|donate here|"
        "en vivo|live|en direct|direct|wait 1 second to continue|loading|cargando|chargement|seguir|follow|suivre|"
        "suscribirme|contenido exclusivo|introduzca el texto aquí|enter text here|copylink|save|info|"
        "end of list|click here to share on social media")),
    ("social-links", _phrases(
        "facebook|twitter|x (twitter)|instagram|youtube|tiktok|linkedin|whatsapp|telegram|flickr|vimeo|rss|"
        "pinterest|reddit|threads|bluesky|mastodon|email|e-mail|follow us|follow us on|stay connected|"
        "connect with us|síguenos|siguenos|síguenos en|suivez-nous|suivez nous|share on facebook|share on twitter|"
        "share on x|share on linkedin|share via email|share by email")),
    ("footer-link", _phrases(
        "privacy|privacy policy|privacy notice|privacy statement|terms of use|terms and conditions|"
        "terms and conditions of use|terms of service|cookie policy|cookies|cookie notice|accessibility|"
        "accessibility statement|sitemap|site map|contact us|contact|about us|about|faq|faqs|"
        "frequently asked questions|careers|jobs|work with us|media centre|media center|press room|newsroom|"
        "newsletter|stay informed|sign up to our newsletter|subscribe to our news|subscribe to our newsletter|"
        "report misconduct or abuse|report a fraudulent site or email|become a supplier|footer|fraud alert|"
        "copyright|disclaimer|legal notice|impressum|política de privacidad|aviso legal|aviso de privacidad|"
        "términos de uso|contáctenos|contacto|mentions légales|politique de confidentialité|"
        "conditions d'utilisation|nous contacter|plan du site|recevoir la newsletter|inscrivez-vous|"
        "recibir el boletín|suscríbete|suscribirse|get the newsletter")),
    ("related-links", _phrases(
        "related|related news|related stories|related articles|related content|related news and stories|"
        "related links|related documents|related topics|more news|more stories|more from|latest news|"
        "latest stories|latest|most read|most popular|popular|trending|recommended|recommended for you|"
        "you may also like|you might also like|read also|see also|also read|also on|tags|topics|keywords|"
        "in this section|noticias relacionadas|artículos relacionados|lo más leído|más leídas|lea también|"
        "lee también|ver también|articles liés|à lire aussi|a lire aussi|voir aussi|les plus lus|"
        "sur le même sujet|dans la même rubrique|otras noticias|más noticias|other news|autres actualités|"
        "read more|read next|up next|more on this|more on this story|more about|further reading|en relation|"
        "en rapport")),
)
_LANGUAGE_NAMES = _RULES[2][1] - {"en", "es", "fr", "ar", "ru", "zh", "uk", "pt", "de"} | _phrases(
    "arabic|chinese|chinese (simplified)|chinese (traditional)|dutch|french|german|italian|japanese|korean|"
    "portuguese|russian|spanish|ukrainian|inglés|ingles|francés|frances|alemán|anglais|espagnol|allemand|"
    "arabe|chinois|russe|українською мовою|по-русски|in english|en español|en français|in french|in spanish")
_LANGUAGE_LINK_RE = re.compile(
    r"^(?:(?:read|view|see|lea|leer|lire|voir|ver)\s+(?:this|the\s+\w+|esto|este\s+\w+|cet?\s+\w+)?\s*)?"
    r"(?:(?:also\s+)?(?:available|disponible)\s+)?(?:in|en)\s+"
    r"(?:english|spanish|french|arabic|russian|chinese|portuguese|german|ukrainian|español|inglés|francés|"
    r"français|anglais|espagnol|arabe|russe|chinois)(?:\s*\|.*)?$|^(?:versión en|version en|version)\s+\w+$",
    re.I,
)
_COPYRIGHT_RE = re.compile(r"^\W*(?:©|\(c\)|copyright\b|all rights reserved|todos los derechos|tous droits)", re.I)
_CREDIT_RE = re.compile(r"^\W*(?:photo|foto|photos|fotos|picture|image|crédit|credit|credits|photo credit|"
                        r"crédito|créditos|cover photo)\s*(?:credit\s*)?[:©]", re.I)
_NOTICE_RE = re.compile(r"\b(?:javascript|cookies?)\b.*\b(?:enabled?|use|uses|accept|consent|experience|happy)\b|"
                        r"\bwe use cookies\b|\bthis (?:site|website) uses\b", re.I)
_SHARE_RE = re.compile(r"^(?:share|compartir|partager|tweet|email|e-mail|envoyer|print|imprimir|imprimer)"
                       r"(?:\s+(?:on|via|by|to|en|por|par|sur|this|esta?|cet(?:te)?)\b.{0,30})?$|"
                       r"^compartir\s+nota$", re.I)
_RELATED_RE = re.compile(r"^(?:most (?:read|popular|viewed|shared)|top stories|more (?:on|from|about|in)|related|"
                         r"latest|trending)\b[\w\s&'’-]{0,30}$|^(?:lo más|más) (?:leído|visto)s?\b.{0,20}$|"
                         r"^recommended\b.{0,30}$|"
                         r"^(?:article (?:suivant|précédent|precedent)|(?:previous|next) (?:article|post|story)|"
                         r"artículo (?:anterior|siguiente)|nota (?:anterior|siguiente))\b", re.I)
_CAPTION_CREDIT_RE = re.compile(r"\b(?:foto|photo|crédito|credit|crédit)s?\s*:\s*[^.:]{2,40}\.?$", re.I)
_DOWNLOAD_RE = re.compile(r"^\(?\s*(?:pdf|docx?|xlsx?|pptx?|zip|epub|mp3|mp4)\b\s*[|(,-]", re.I)
_POSTED_RE = re.compile(r"^(?:posted|published|updated|last updated|publicado|actualizado|publié|mis à jour)"
                        r"\b(?:\s+(?:on|by|at|el|le|por|par)\b)?.*\d", re.I)
_SLIDE_RE = re.compile(r"^(?:list\s+)?\d+\s*(?:of|de|sur|/)\s*\d+$|^list of \d+ items$|"
                       r"^\d+\s*(?:min|mins|minutes?|minutos?)(?:\s+(?:read|de lectura|de lecture))?$", re.I)
_BRACKET_CREDIT_RE = re.compile(r"^\[[^\]]{1,40}\]$")
_TEASER_RE = re.compile(r"^\[?(?:read|see|watch|also read|related|lea|lee|vea|ver|lire|voir)"
                        r"(?:\s+(?:also|more|más|también|aussi|además|plus))?\s*:\s*\S.*$", re.I)
_SOCIAL_WORDS = frozenset({"facebook", "twitter", "google", "instagram", "youtube", "tiktok", "linkedin", "whatsapp",
                           "telegram", "pinterest", "reddit", "tumblr", "email", "mail", "envoyer", "share", "tweet",
                           "print", "imprimer", "imprimir", "compartir", "partager", "rss", "flickr", "x"})
_SEPARATORS_RE = re.compile(r"\s+(?:\||–|—|-|::|·|«|»|•)\s+")
_EDGE_PUNCTUATION = " \t:.…|>›»«·•-–—"

#: A date standing alone on a line: "16 February 2026", "April 26, 2022", "Monday, 3 August 2011".
DATE_LINE_RE = re.compile(
    r"^(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day,?\s+)?(?:(?P<d1>\d{1,2})(?:st|nd|rd|th)?,?\s+(?:de\s+)?(?P<m1>[^\W\d_]+)"
    r"\.?,?\s+(?:de\s+)?|(?P<m2>[^\W\d_]+)\.?\s+(?P<d2>\d{1,2})(?:st|nd|rd|th)?,?\s+)(?P<y>\d{4})"
    r"(?:\s*[-–|,]?\s*\d{1,2}[:.h]\d{2}(?:\s*[ap]\.?m\.?)?(?:\s*[A-Z]{2,4})?)?$",
    re.I,
)
_MONTHS = {name: i + 1 for i, names in enumerate([
    ("january", "jan", "enero", "janvier"), ("february", "feb", "febrero", "février", "fevrier"),
    ("march", "mar", "marzo", "mars"), ("april", "apr", "abril", "avril"), ("may", "mayo", "mai"),
    ("june", "jun", "junio", "juin"), ("july", "jul", "julio", "juillet"),
    ("august", "aug", "agosto", "août", "aout"), ("september", "sep", "sept", "septiembre", "septembre"),
    ("october", "oct", "octubre", "octobre"), ("november", "nov", "noviembre", "novembre"),
    ("december", "dec", "diciembre", "décembre", "decembre")]) for name in names}


def _normal(text: str) -> str:
    return squeeze(text).strip(_EDGE_PUNCTUATION).casefold()


def chrome_rule(text: str) -> str | None:
    """The rule by which the whole line ``text`` is site chrome, or None when it is not."""
    line = _normal(text)
    if not line:
        return None
    for rule, phrases in _RULES:
        if line in phrases:
            return rule
    if _RELATED_RE.match(line):
        return "related-links"  # "Most Read Business Stories", "More on Amazon"
    if _LANGUAGE_LINK_RE.match(line) or line in _LANGUAGE_NAMES:
        return "language-link"
    if _DOWNLOAD_RE.match(line):
        return "download-link"  # "(PDF | 10.81 MB | English - English version)"
    if _POSTED_RE.match(line) and words_of(line) <= 15:
        return "date-line"  # "Posted: Thursday, April 21, 2022. 10:11 pm CST."
    letters = set(re.findall(r"[a-z]+", line))
    if _SHARE_RE.match(line) or (letters and letters <= _SOCIAL_WORDS):
        return "social-links"  # "Share on Google Plus", "Facebook :Facebook", "Envoyer :Mail"
    if _SLIDE_RE.match(line):
        return "icon-label"  # a slideshow's counter: "1 of 24"
    if _TEASER_RE.match(line) and len(split_words(line)) <= 25 and not re.search(r"[.!?]['\"”’)\]]*$", line.rstrip("]")):
        return "link-teaser"  # "Read: Why Tunisia suffers from violence", "Lea también: ..."
    parts = [p for p in re.split(r"\s*[|/•·]\s*|\s{2,}", line) if p]
    if len(parts) >= 2 and all(p in _LANGUAGE_NAMES or p in _RULES[2][1] for p in parts):
        return "language-selector"  # "English | Français | Español"
    if _language_list(line):
        return "language-selector"  # "Arabic Chinese (Simplified) Dutch English French German"
    words = len(split_words(line))
    if _COPYRIGHT_RE.match(line) and words <= 60:
        return "photo-credit" if "/" in line and words <= 8 and "rights" not in line else "copyright"
    if (_CREDIT_RE.match(line) and words <= 12) or (_CAPTION_CREDIT_RE.search(line) and words <= 15) or (
            _BRACKET_CREDIT_RE.match(line) and words <= 5):
        return "photo-credit"  # "Photo: IOM/Muse Mohammed", "Puerto de Montevideo. Foto: Archivo El País."
    if is_homoglyph_text(text):
        return "homoglyph-text"
    if _NOTICE_RE.search(line) and words <= 40:
        return "script-notice"
    return None


def words_of(text: str) -> int:
    return len(split_words(text))


def _language_list(line: str) -> bool:
    found = re.findall(r"\([^)]*\)|[^\s()]+", line)
    names = {n.split()[0] for n in _LANGUAGE_NAMES if n.isascii()}
    return len(found) >= 4 and sum(w in names or w.startswith("(") for w in found) == len(found)


def ends_body(text: str) -> bool:
    """A chrome line that, after a release's text, means the text has ended (the page's footer,
    share buttons, related links), unlike a stray label inside it."""
    return chrome_rule(text) in ("footer-link", "social-links", "copyright", "script-notice")


def is_related_label(text: str) -> bool:
    """A label over a list of other pages ("Related news", "Sur le même sujet")."""
    return chrome_rule(text) == "related-links"


def page_title_parts(text: str) -> list[str]:
    """The parts of a browser title ("Headline | Site", "Site - Headline"), longest first; [] when
    the line has no site separator."""
    parts = [p.strip() for p in _SEPARATORS_RE.split(text) if p.strip()]
    return sorted(parts, key=len, reverse=True) if len(parts) > 1 else []


def parse_date_line(text: str) -> dt.date | None:
    """The date of a line that is only a date (see :data:`DATE_LINE_RE`), else None."""
    m = DATE_LINE_RE.match(squeeze(text))
    if m is None:
        return None
    month = _MONTHS.get((m.group("m1") or m.group("m2") or "").lower())
    if month is None:
        return None
    try:
        return dt.date(int(m.group("y")), month, int(m.group("d1") or m.group("d2")))
    except ValueError:
        return None
