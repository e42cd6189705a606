"""The fonts of every PDF: bundled files only, and the text of a document cut to what they can print.

WeasyPrint finds these through the @font-face rules made here (never through the system's fonts,
which a bare server does not have and which would make a PDF differ from machine to machine).
Each character is drawn by the first family of FONT_STACK that has it; one the bundled fonts do not
have at all (Chinese, Arabic, …) is printed as U+FFFD "�" rather than as an empty box, and the
fonts' character sets are read once, since the files never change while the app runs.
"""

from functools import cache
from pathlib import Path
from typing import NamedTuple

from fontTools.ttLib import TTFont
from markupsafe import Markup

from incubator.core.text import printable


class Face(NamedTuple):
    family: str
    file: str
    weight: str = "normal"


# In fallback order: text, then scripts and forms Noto Sans lacks, then symbols, then emoji (emoji
# before the symbols font, so a heart or a check mark typed as an emoji prints as one).
FACES = (
    Face("Report Sans", "NotoSans-Regular.ttf"),
    Face("Report Sans", "NotoSans-Bold.ttf", "bold"),
    Face("Report Javanese", "NotoSansJavanese-Regular.ttf"),
    Face("Report Javanese", "NotoSansJavanese-Bold.ttf", "bold"),
    Face("Report Fullwidth", "NotoSansCJKjp-Regular-Fullwidth.otf"),
    Face("Report Fullwidth", "NotoSansCJKjp-Bold-Fullwidth.otf", "bold"),
    Face("Report Arrows", "NotoSansMath-Regular-Arrows.ttf"),
    Face("Report Emoji", "NotoEmoji-Regular.ttf"),
    Face("Report Symbols", "NotoSansSymbols2-Regular.ttf"),
)
FONT_FOLDER = Path(__file__).resolve().parent.parent / "static" / "fonts"
FONT_STACK = ", ".join(f'"{family}"' for family in dict.fromkeys(face.family for face in FACES))


def font_face_css() -> Markup:
    """The @font-face rules of every bundled face (URLs the report fetcher serves)."""
    rules = [
        f'@font-face {{ font-family: "{face.family}"; src: url("static/fonts/{face.file}"); '
        f"font-weight: {face.weight}; }}"
        for face in FACES
    ]
    return Markup("\n".join(rules))  # noqa: S704 - constants of this module, no user text


@cache
def covered() -> frozenset[int]:
    """Every code point some bundled face has a glyph for."""
    points: set[int] = set()
    for face in FACES:
        font = TTFont(FONT_FOLDER / face.file, lazy=True)
        points.update(font.getBestCmap())
        font.close()
    return frozenset(points)


def has_glyph(char: str) -> bool:
    return ord(char) in covered()


def printable_document(html: str) -> str:
    """A whole HTML document as the PDF fonts print it: no bidi controls, no character without a glyph.
    Markup and CSS are ASCII, so only text changes."""
    return printable(html, has_glyph)
