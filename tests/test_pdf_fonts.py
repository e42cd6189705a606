# ruff: noqa: F811 - `world` is the fixture imported from tests.test_decisions, `demo` from tests.test_cohort_report
"""Every character a founder can type prints, from the bundled fonts, and bidi controls never reorder.

A startup named in Javanese script, emoji, full-width letters and a right-to-left override is put
in a scorecard and in the demo cohort report; each PDF is then read as a viewer would:
- every font it uses is a bundled one (WeasyPrint names them after their @font-face family,
  "Report-…"): no system font, so a bare server prints the same;
- WeasyPrint met no character its font lacked (it would have given that font a custom encoding
  that maps the character to .notdef, the empty box), and no .notdef glyph is drawn;
- each character of the name is drawn by a glyph with an outline, in the embedded font program
  (fontTools), whose ToUnicode entry is that character;
- its text gives the name back in the order it was typed, without the override.
And a CSV export drops the bidi controls too.
"""

import csv
import io
import os
import re
import subprocess
import sys
import unicodedata
from pathlib import Path

import pikepdf
import pytest
from fontTools.pens.boundsPen import BoundsPen
from fontTools.ttLib import TTFont
from pypdf import PdfReader
from sqlalchemy import select

from incubator.core.spreadsheets import neutralised
from incubator.core.text import BIDI_CONTROLS, REPLACEMENT, printable, without_bidi_controls
from incubator.extensions import db as _db
from incubator.reports import fonts
from incubator.reports.pdf import REPORT_BASE_URL, static_path
from tests.test_cohort_report import demo  # noqa: F401 - the fixture
from tests.test_decisions import _set_phase, world  # noqa: F401 - the fixture

JAVANESE = "ꦧꦠꦶꦏ꧀"  # "batik" in Javanese script: letters, a vowel sign above, a pangkon
EMOJI = "🚀👩🏽‍💻🇮🇩☕"  # a plain emoji, a ZWJ sequence with a skin tone, a flag, a BMP emoji
FULLWIDTH = "ＢＡＴＩＫ１２"
TYPED = f"{JAVANESE} Batik {EMOJI} {FULLWIDTH} \u202eevil\u202c"
# What prints: the override and its pop dropped, every letter in the order typed ("evil", not "live").
SHOWN = f"{JAVANESE} Batik {EMOJI} {FULLWIDTH} evil"


# --- the text rules ---------------------------------------------------------------------------


def test_without_bidi_controls_drops_every_control_and_keeps_joiners():
    controls = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c"
    assert frozenset(controls) == BIDI_CONTROLS
    assert without_bidi_controls(f"a{controls}b") == "ab"
    assert without_bidi_controls("invoice\u202egnp.exe") == "invoicegnp.exe"
    assert without_bidi_controls("\u2067مرحبا\u2069 Batik") == "مرحبا Batik"  # Arabic letters stay as typed
    assert without_bidi_controls("👩\u200d💻 ꦧ\u200cꦠ ☕\ufe0f") == "👩\u200d💻 ꦧ\u200cꦠ ☕\ufe0f"


def test_printable_replaces_only_characters_no_font_has():
    def latin_only(char: str) -> bool:
        return char.isascii() or char == "é"

    text = "Café 中文\u202e ok\u200d\ufe0f\n\t\u00ad"
    assert printable(text, latin_only) == f"Café {REPLACEMENT}{REPLACEMENT} ok\u200d\ufe0f\n\t\u00ad"
    assert printable("plain ASCII", lambda _char: False) == "plain ASCII"


def test_neutralised_drops_bidi_controls_before_quoting_a_formula():
    assert neutralised("invoice\u202egnp.exe") == "invoicegnp.exe"
    assert neutralised("\u202e=1+1") == "'=1+1"  # the override cannot hide a formula sign
    assert neutralised("\u200f@SUM(A1)\u200e") == "'@SUM(A1)"
    assert neutralised(TYPED) == SHOWN


# --- the bundled fonts ------------------------------------------------------------------------


def _assigned(first: int, last: int) -> list[str]:
    return [chr(c) for c in range(first, last + 1) if unicodedata.category(chr(c)) != "Cn"]


COMMON_EMOJI = "😀😂😍🥰😊😎🤔😢😭😡👍👎👏🙏💪🔥✨🎉❤💯🚀💡📈💰🏆🌱☕🍜🇮🇩👨👩👧🏽🏻💻"


@pytest.mark.parametrize(
    ("what", "chars"),
    [
        ("ASCII", _assigned(0x20, 0x7E)),
        ("Latin-1 and Latin Extended-A", _assigned(0xA0, 0x17F)),
        ("Javanese script", _assigned(0xA980, 0xA9DF)),
        ("half-width and full-width forms", _assigned(0xFF00, 0xFFEF)),
        ("common emoji", list(COMMON_EMOJI)),
        ("the app's own signs", list("·×–—’“”…′→−Σμσ€\ufffd")),
    ],
)
def test_bundled_fonts_have_a_glyph_for_every_character_of(what, chars):
    assert [c for c in chars if not fonts.has_glyph(c)] == [], what


def test_every_face_is_served_to_the_renderer_and_has_a_space():
    """Text layout sets a space in the font of the character before it: each face needs one."""
    for face in fonts.FACES:
        path = static_path(f"{REPORT_BASE_URL}static/fonts/{face.file}")
        assert path == fonts.FONT_FOLDER / face.file
        assert 0x20 in TTFont(path).getBestCmap(), face.file
    assert fonts.FONT_STACK == (
        '"Report Sans", "Report Javanese", "Report Fullwidth", "Report Arrows", "Report Emoji", "Report Symbols"'
    )
    assert str(fonts.font_face_css()).count("@font-face") == len(fonts.FACES) == 9


# --- reading a PDF's fonts --------------------------------------------------------------------


def _to_unicode(font) -> dict[int, str]:
    """A font's ToUnicode CMap: glyph code → the text it stands for."""
    cmap = font.ToUnicode.read_bytes().decode("latin-1")
    found = {}
    for block in re.findall(r"beginbfchar(.*?)endbfchar", cmap, re.S):
        for code, text in re.findall(r"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>", block):
            found[int(code, 16)] = bytes.fromhex(text).decode("utf-16-be")
    for block in re.findall(r"beginbfrange(.*?)endbfrange", cmap, re.S):
        for first, last, text in re.findall(r"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>", block):
            start = bytes.fromhex(text).decode("utf-16-be")
            for offset in range(int(last, 16) - int(first, 16) + 1):
                found[int(first, 16) + offset] = start[:-1] + chr(ord(start[-1]) + offset)
    return found


def _program(font) -> TTFont:
    descriptor = font.DescendantFonts[0].FontDescriptor
    stream = descriptor.get("/FontFile2") or descriptor.get("/FontFile3")
    return TTFont(io.BytesIO(stream.read_bytes()))


def _drawn(program: TTFont, glyph_id: int) -> bool:
    """The glyph has an outline (the .notdef box and blank glyphs have none worth printing). A code
    past the font's glyphs is one WeasyPrint made up for a missing character (it draws .notdef)."""
    order = program.getGlyphOrder()
    if not 0 < glyph_id < len(order):
        return False
    name = order[glyph_id]
    pen = BoundsPen(program.getGlyphSet())
    program.getGlyphSet()[name].draw(pen)
    return pen.bounds is not None


def _shown_codes(content, fonts_by_name) -> list[tuple[str, int]]:
    """(font name, glyph code) for every glyph a content stream shows (two-byte Identity-H codes)."""
    shown, current = [], None
    for operands, operator in pikepdf.parse_content_stream(content):
        op = str(operator)
        if op == "Tf":
            current = str(operands[0])
        elif op in ("Tj", "'", '"', "TJ"):
            strings = operands[0] if op == "TJ" else operands[-1:]
            for item in strings:
                if isinstance(item, pikepdf.String):
                    raw = bytes(item)
                    shown += [(current, int.from_bytes(raw[i : i + 2], "big")) for i in range(0, len(raw), 2)]
    return shown


def pdf_font_report(data: bytes) -> dict:
    """What a reader of the PDF finds: each font's name and encoding, the glyphs drawn, and for
    each character of the text layer, whether an outline in a bundled font draws it."""
    pdf = pikepdf.open(io.BytesIO(data))
    fonts_seen, drawn_chars, codes, read = {}, {}, [], {}
    for page in pdf.pages:
        containers = [(page, page.Resources)]
        for xobject in (page.Resources.get("/XObject") or {}).values():
            if xobject.get("/Subtype") == "/Form":
                containers.append((xobject, xobject.get("/Resources") or page.Resources))
        for content, resources in containers:
            page_fonts = resources.get("/Font") or {}
            for font in page_fonts.values():
                base = str(font.BaseFont).split("+", 1)[-1]
                encoding = font.Encoding if isinstance(font.Encoding, pikepdf.Name) else "custom"
                fonts_seen[base] = str(encoding)
            for key, code in set(_shown_codes(content, page_fonts)):
                font = page_fonts[key]
                base = str(font.BaseFont).split("+", 1)[-1]
                codes.append((base, code))
                if font.objgen not in read:
                    read[font.objgen] = (_to_unicode(font), _program(font))
                to_unicode, program = read[font.objgen]
                for char in to_unicode.get(code, ""):
                    drawn_chars.setdefault(char, set()).add((base, _drawn(program, code)))
    return {"fonts": fonts_seen, "codes": codes, "chars": drawn_chars}


def assert_prints_from_bundled_fonts(data: bytes, text: str):
    report = pdf_font_report(data)
    assert [name for name in report["fonts"] if not name.startswith("Report-")] == [], "a font not bundled"
    assert set(report["fonts"].values()) == {"/Identity-H"}, f"a character was missing: {report['fonts']}"
    assert [shown for shown in report["codes"] if shown[1] == 0] == [], ".notdef drawn"
    for char in set(text) - {" ", "\u200d"}:
        drawn = report["chars"].get(char)
        assert drawn, f"{char!r} not in the text layer"
        assert all(ok for _font, ok in drawn), (char, drawn)  # an outline in every font that drew it
    return report


def _squeezed(text: str) -> str:
    return "".join(text.split())


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


# --- the documents ----------------------------------------------------------------------------


def test_scorecard_prints_the_name_from_bundled_fonts_in_typed_order(app, world, client, login_as):
    from incubator.applications.models import Application

    application_id = world["apps"]["Batik Lurik"]
    with app.app_context():
        _db.session.get(Application, application_id).startup.name = TYPED
        _db.session.commit()
    _set_phase(app, world, "closed")
    login_as(client, world["director"])
    response = client.get(f"/rounds/{world['round']}/applications/{application_id}/scorecard.pdf?lang=en")
    assert response.status_code == 200

    report = assert_prints_from_bundled_fonts(response.data, SHOWN)
    assert {name.removesuffix("-Bold") for name in report["fonts"]} == {
        "Report-Sans",
        "Report-Javanese",
        "Report-Fullwidth",
        "Report-Emoji",
    }
    text = pdf_text(response.data)
    assert SHOWN in text.split("\n")  # the heading, the name alone on its line
    assert "live" not in text and "\u202e" not in text

    ranking_csv = client.get(f"/rounds/{world['round']}/ranking.csv").get_data(as_text=True)
    ranking = list(csv.DictReader(io.StringIO(ranking_csv)))
    assert [row["startup"] for row in ranking if row["application_id"] == str(application_id)] == [SHOWN]


# Fontconfig with no font folder: what a bare server has.
NO_FONTS = """<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">
<fontconfig><cachedir>{cache}</cachedir></fontconfig>
"""
RENDER = """
import sys
from incubator.reports.pdf import render_pdf
with open(sys.argv[1], encoding="utf-8") as html, open(sys.argv[2], "wb") as pdf:
    pdf.write(render_pdf(html.read()))
"""


def test_scorecards_print_the_same_on_a_server_without_fonts(app, world, tmp_path):
    """The round's scorecards (HTML from the CLI) rendered where fontconfig knows no font at all."""
    from incubator.applications.models import Application

    with app.app_context():
        _db.session.get(Application, world["apps"]["Batik Lurik"]).startup.name = TYPED
        _db.session.commit()
    _set_phase(app, world, "closed")
    html = tmp_path / "cards.html"
    result = app.test_cli_runner().invoke(args=["export-scorecards", str(world["round"]), "--out", str(html), "--html"])
    assert result.exit_code == 0, result.output
    config = tmp_path / "fonts.conf"
    config.write_text(NO_FONTS.format(cache=tmp_path / "cache"), encoding="utf-8")
    pdf = tmp_path / "cards.pdf"
    env = {**os.environ, "FONTCONFIG_FILE": str(config)}
    root = Path(__file__).resolve().parent.parent
    subprocess.run([sys.executable, "-c", RENDER, str(html), str(pdf)], cwd=root, env=env, check=True, timeout=300)

    data = pdf.read_bytes()
    report = assert_prints_from_bundled_fonts(data, SHOWN)
    assert {"Report-Sans", "Report-Sans-Bold", "Report-Javanese", "Report-Fullwidth", "Report-Emoji"} <= set(
        report["fonts"]
    )
    assert SHOWN in pdf_text(data).split("\n")


def test_cohort_report_prints_the_name_from_bundled_fonts_in_typed_order(db, client, demo):
    from incubator.cohorts.models import CohortStartup
    from incubator.startups.models import Startup

    startup_id = db.scalar(
        select(CohortStartup.startup_id)
        .where(CohortStartup.cohort_id == demo, CohortStartup.stage == "pre_incubation")
        .order_by(CohortStartup.startup_id)
        .limit(1)
    )
    with db.session() as session:
        session.get(Startup, startup_id).name = TYPED
    response = client.get(f"/cohorts/{demo}/report.pdf?lang=en")
    assert response.status_code == 200

    report = assert_prints_from_bundled_fonts(response.data, SHOWN)
    assert {"Report-Sans", "Report-Sans-Bold", "Report-Javanese", "Report-Fullwidth", "Report-Emoji"} <= set(
        report["fonts"]
    )
    text = pdf_text(response.data)
    assert _squeezed(SHOWN) in _squeezed(text)  # table cells may wrap the name anywhere
    assert "\u202e" not in text and "live" not in text
