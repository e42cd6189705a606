"""Text typed by people, made safe to print: no bidi control reorders it, no character prints as a box.

Bidi controls are dropped, not isolated. An isolate (CSS `unicode-bidi: isolate`, or FSI…PDI)
only keeps a name from reordering the text around it: a right-to-left override inside the name
would still print the name's own letters backwards ("‮gnirts" as typed shows as "string"), which
is exactly the spoofing to prevent. Without the controls every character shows in the order it
was typed; letters of right-to-left scripts are still laid out right to left by the implicit
bidi algorithm, which needs no control character. Joiners (U+200C, U+200D) and variation
selectors are not bidi controls and stay: emoji sequences and Javanese need them.
"""

import re
import unicodedata
from collections.abc import Callable

# Embeddings and overrides (LRE, RLE, PDF, LRO, RLO), isolates (LRI, RLI, FSI, PDI), the marks
# (LRM, RLM) and the Arabic letter mark: every character with an explicit bidi role.
BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c")
_BIDI_CONTROL = re.compile("[" + "".join(sorted(BIDI_CONTROLS)) + "]")

REPLACEMENT = "\ufffd"


def without_bidi_controls(text: str) -> str:
    """`text` with every bidi control character removed, the rest as typed."""
    return _BIDI_CONTROL.sub("", text)


def prints_invisibly(char: str) -> bool:
    """A character that needs no glyph: a line break or tab, a line or paragraph separator, a
    format character (joiners, soft hyphen, tags), a variation selector. Text layout shows none."""
    if char in "\n\r\t":
        return True
    return (
        unicodedata.category(char) in ("Cf", "Zl", "Zp")
        or 0xFE00 <= ord(char) <= 0xFE0F
        or 0xE0100 <= ord(char) <= 0xE01EF
    )


def printable(text: str, has_glyph: Callable[[str], bool], replacement: str = REPLACEMENT) -> str:
    """`text` without bidi controls, and each character that no font has a glyph for (says
    `has_glyph`) replaced by `replacement`, so it prints as a visible sign, never as an empty box.
    Looks at each distinct character once, so a long document costs little."""
    text = without_bidi_controls(text)
    missing = [char for char in set(text) if char > "\x7f" and not prints_invisibly(char) and not has_glyph(char)]
    if not missing:
        return text
    return re.sub("[" + "".join(re.escape(char) for char in missing) + "]", replacement, text)
