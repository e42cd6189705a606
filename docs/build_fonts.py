"""Make the PDF fonts in incubator/static/fonts from Noto's published files (the README says why).

    apt-get download fonts-noto-core fonts-noto-cjk      # Debian 13 (trixie)
    for deb in fonts-noto-*.deb; do dpkg-deb -x "$deb" noto; done
    pip download --no-deps manimgx-fonts==2026.9.26.post1 && unzip manimgx_fonts-*.whl -d noto-emoji
    .venv/bin/python docs/build_fonts.py noto noto-emoji/manimgx_fonts

Noto Sans and Noto Sans Javanese are copied as Debian ships them. The others are cut down with
fontTools to what the PDFs need (glyph outlines, metrics and OpenType layout kept as they are):
full-width forms from Noto Sans CJK, arrows and mathematical operators from Noto Sans Math, and
Noto Emoji (monochrome, a variable font upstream) fixed at its regular weight, since a PDF holds
no variable font. Run it again only to change which fonts or characters are bundled.
"""

import shutil
import sys
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTFont
from fontTools.varLib import instancer

OUT = Path(__file__).resolve().parent.parent / "incubator" / "static" / "fonts"

# Every face keeps the space and the no-break space: text layout (Pango) sets a space in the font of
# the character before it, and a face without one would print it as an empty box.
SPACES = [0x20, 0xA0]
# Half-width and full-width forms, and the ideographic space a full-width keyboard types.
FULLWIDTH = [*SPACES, 0x3000, *range(0xFF00, 0xFFF0)]
# Arrows, mathematical operators, miscellaneous technical, and the supplemental arrows and operators.
MATH = [
    *SPACES,
    *range(0x2190, 0x2400),
    *range(0x27C0, 0x2800),
    *range(0x2900, 0x2B00),
]


def _subset(font: TTFont, codepoints: list[int]) -> TTFont:
    options = subset.Options()
    options.layout_features = ["*"]
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    options.notdef_outline = True
    options.glyph_names = False
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=codepoints)
    subsetter.subset(font)
    return font


def main(debian_root: str, emoji_folder: str) -> None:
    noto = Path(debian_root) / "usr/share/fonts/truetype/noto"
    cjk = Path(debian_root) / "usr/share/fonts/opentype/noto"
    for name in (
        "NotoSans-Regular.ttf",
        "NotoSans-Bold.ttf",
        "NotoSansJavanese-Regular.ttf",
        "NotoSansJavanese-Bold.ttf",
        "NotoSansSymbols2-Regular.ttf",
    ):
        shutil.copyfile(noto / name, OUT / name)
    for weight in ("Regular", "Bold"):
        # Face 0 of the collection is the Japanese one; its full-width forms are the common shapes.
        font = TTFont(cjk / f"NotoSansCJK-{weight}.ttc", fontNumber=0)
        _subset(font, FULLWIDTH).save(OUT / f"NotoSansCJKjp-{weight}-Fullwidth.otf")
    _subset(TTFont(noto / "NotoSansMath-Regular.ttf"), MATH).save(OUT / "NotoSansMath-Regular-Arrows.ttf")
    emoji = instancer.instantiateVariableFont(TTFont(Path(emoji_folder) / "NotoEmoji[wght].ttf"), {"wght": 400})
    emoji.save(OUT / "NotoEmoji-Regular.ttf")


if __name__ == "__main__":
    main(*sys.argv[1:3])
