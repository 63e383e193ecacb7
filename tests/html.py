"""Reading rendered pages as a reader (or a screen reader) would."""

import re

from bs4 import BeautifulSoup


def soup(response):
    return BeautifulSoup(response.content.decode(), "html.parser")


def text_of(node):
    """Visible text of a node with all whitespace removed (Chinese has none)."""
    return re.sub(r"\s+", "", node.get_text())
