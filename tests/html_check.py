"""Reading built pages as a browser does (html.parser): elements, attributes, and each piece of
text with the language it is in (the nearest ``lang`` around it)."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser

VOID = frozenset("area base br col embed hr img input link meta param source track wbr".split())


@dataclass
class Page:
    elements: list[tuple[str, dict[str, str]]] = field(default_factory=list)  # (tag, attributes), in order
    texts: list[tuple[str, str]] = field(default_factory=list)  # (language, text)

    def text_in(self, language: str) -> str:
        return " ".join(t for lang, t in self.texts if lang == language)

    def all_text(self) -> str:
        return " ".join(t for _, t in self.texts)

    def find(self, tag: str) -> list[dict[str, str]]:
        return [attrs for t, attrs in self.elements if t == tag]


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.page = Page()
        self.stack: list[tuple[str, str]] = []  # (tag, language)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        self.page.elements.append((tag, values))
        if tag in VOID:
            return
        language = values.get("lang") or (self.stack[-1][1] if self.stack else "")
        self.stack.append((tag, language))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.page.elements.append((tag, {k: v or "" for k, v in attrs}))

    def handle_endtag(self, tag: str) -> None:
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i][0] == tag:
                del self.stack[i:]
                return

    def handle_data(self, data: str) -> None:
        if data.strip() and not (self.stack and self.stack[-1][0] in ("style", "script", "title")):
            self.page.texts.append((self.stack[-1][1] if self.stack else "", " ".join(data.split())))


def read_page(text: str) -> Page:
    reader = _Reader()
    reader.feed(text)
    reader.close()
    return reader.page


def live_markup(page: Page) -> list[str]:
    """What in ``page`` a browser would run: script elements, event-handler attributes,
    ``javascript:`` URLs."""
    found = []
    for tag, attrs in page.elements:
        if tag == "script":
            found.append("<script>")
        for name, value in attrs.items():
            if name.startswith("on"):
                found.append(f"<{tag} {name}=...>")
            if name in ("href", "src", "action", "formaction") and value.strip().lower().startswith("javascript:"):
                found.append(f"<{tag} {name}=javascript:...>")
    return found
