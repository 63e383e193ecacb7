"""Table columns sized by what they hold, measured with the embedded font, and lines broken between words.

A summary list (一览表) has short columns (序号, the region), columns of codes (the reference
``ZJ2026-F1-00001``, an ID number ``110***********002X``, a credit code) and columns of free text.
Equal widths split the codes in the middle, where nobody can read them back. Here every cell is cut
into units that may not be broken: a run of Latin letters, digits and signs (a code, a number, a word)
is one unit, any other character (a Chinese character, a space) is one, and closing punctuation
sticks to what it follows. A column is at least as wide as its widest unit and at most as wide as
its longest line; the room left goes to the columns that wrap, in proportion to what they would
need on one line. When even the narrowest widths do not fit, the text gets smaller rather than
a code being split. Lines are then broken here, between units, so platypus only draws them.
"""

import re
from dataclasses import dataclass

from reportlab.lib.textsplit import ALL_CANNOT_START
from reportlab.pdfbase.pdfmetrics import stringWidth

from forms_app.printing.text import typed_lines

#: A run of these is one unit: a code or a number is never split. Wider than this share of the
#: table (a pasted URL in a free text), a run may be cut where it must.
TOKEN = re.compile(r"[!-~]+|.", re.DOTALL)
LONGEST_UNIT_SHARE = 0.4
SMALLEST_SIZE = 6
SLACK = 0.5  # points added to each column, so a line measured to fit exactly is never wrapped again


def units(line):
    """Return the unbreakable pieces of one line, closing punctuation kept with what precedes it."""
    pieces = []
    for piece in TOKEN.findall(line):
        if pieces and piece in ALL_CANNOT_START:
            pieces[-1] += piece
        else:
            pieces.append(piece)
    return pieces


@dataclass
class Measure:
    """Widths of text in one face and size (reportlab adds up glyph widths: no kerning, no cache needed)."""

    face: str
    size: float

    def width(self, text):
        return stringWidth(text, self.face, self.size)

    def natural(self, text):
        """The width of the cell's longest typed line."""
        return max(self.width(line) for line in typed_lines(text))

    def narrowest(self, text, longest):
        """The width of the cell's widest unit, counting units wider than ``longest`` as one character."""
        widths = [self.width(unit) for line in typed_lines(text) for unit in units(line)]
        kept = [w for w in widths if w <= longest]
        return max(kept or [0.0])


def widths(rows, total, measure, padding):
    """Return the column widths of ``rows`` (lists of cell texts) that fill ``total`` points.

    Each column gets at least its widest unit and at most its longest line, plus ``padding``
    (both sides together); ``None`` when even the narrowest widths are wider than ``total``.
    Columns whose longest line is within a fair share of the room keep it, so short columns
    (序号, the status) stay on one line; the others share the rest, wrapping.
    """
    count = max((len(row) for row in rows), default=0)
    if not count:
        return []
    longest = LONGEST_UNIT_SHARE * total
    natural, narrowest = [padding] * count, [padding] * count
    for row in rows:
        for column, cell in enumerate(row):
            text = str(cell)
            natural[column] = max(natural[column], measure.natural(text) + padding + SLACK)
            narrowest[column] = max(narrowest[column], measure.narrowest(text, longest) + padding + SLACK)
    if sum(narrowest) > total:
        return None
    if sum(natural) <= total:  # everything fits on one line: share out what is left alike
        spare = (total - sum(natural)) / count
        return [width + spare for width in natural]
    found, wrapping, room = [None] * count, set(range(count)), total
    while True:  # give the short columns their one line, as long as it is within a fair share
        share = room / len(wrapping)
        short = {column for column in wrapping if natural[column] <= share}
        if not short:
            break
        for column in short:
            found[column] = natural[column]
        room -= sum(natural[column] for column in short)
        wrapping -= short
    spare = room - sum(narrowest[column] for column in wrapping)
    wants = {column: natural[column] - narrowest[column] for column in wrapping}
    wanted = sum(wants.values())
    for column in wrapping:
        share = wants[column] / wanted if wanted else 1 / len(wrapping)
        found[column] = narrowest[column] + spare * share
    return found


def fit(rows, total, face, size, padding):
    """Return ``(size, widths)``: the largest size up to ``size`` at which no unit has to be split."""
    while True:
        measure = Measure(face, size)
        found = widths(rows, total, measure, padding)
        if found is not None or size <= SMALLEST_SIZE:
            return size, found or [total / max(len(rows[0]), 1)] * max(len(rows[0]), 1)
        size = max(SMALLEST_SIZE, size - 0.5)


def break_lines(text, width, measure):
    """Return ``text`` as lines no wider than ``width``, broken between units (typed breaks kept)."""
    lines = []
    for typed in typed_lines(text):
        line, used = "", 0.0
        for unit in units(typed):
            unit_width = measure.width(unit)
            if line and used + unit_width > width:
                lines.append(line.rstrip())
                line, used = "", 0.0
                if unit.isspace():
                    continue  # a space where the line breaks is the break
            if unit_width > width:  # wider than the column (only a run too long to keep): cut it
                for character in unit:
                    character_width = measure.width(character)
                    if line and used + character_width > width:
                        lines.append(line)
                        line, used = "", 0.0
                    line, used = line + character, used + character_width
                continue
            line, used = line + unit, used + unit_width
        lines.append(line.rstrip())
    return lines
