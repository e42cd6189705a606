"""Every user-visible string is translated in both catalogues, none fuzzy.

The messages are extracted exactly as `make messages` does (its options are read from the
Makefile), into a temporary file; the committed catalogues must hold every one of them."""

import ast
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from incubator.core.catalogs import problems

ROOT = Path(__file__).resolve().parent.parent
# A literal message in a call the extractor knows, in Python or Jinja: `_("...")`, `_l('...')`.
LITERAL_CALL = re.compile(
    r"""(?<![\w.])(?:_|_l|N_|gettext|lazy_gettext)\(\s*(?P<q>["'])(?P<text>(?:\\.|(?!(?P=q)).)*)(?P=q)\s*[,)]"""
)


def extract_options() -> list[str]:
    """The `pybabel` arguments of the Makefile's EXTRACT variable (used by `make messages`)."""
    for line in (ROOT / "Makefile").read_text(encoding="utf-8").splitlines():
        if line.startswith("EXTRACT :="):
            return shlex.split(line.partition(":=")[2])
    raise AssertionError("the Makefile defines no EXTRACT")


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    pot = tmp_path_factory.mktemp("i18n") / "messages.pot"
    pybabel = str(Path(sys.executable).parent / "pybabel")
    subprocess.run([pybabel, *extract_options(), "-o", str(pot), "."], cwd=ROOT, check=True, capture_output=True)
    return pot


@pytest.fixture(scope="module")
def extracted(template) -> set[str]:
    with template.open("rb") as fh:
        return {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(fh) if m.id}


@pytest.mark.parametrize("locale", ["id", "en"])
def test_catalogue_is_complete(template, locale):
    assert problems(locale, template) == []


def test_extraction_finds_the_strings(extracted):
    assert "Sign in" in extracted
    assert "This password is too common; choose one that is harder to guess." in extracted


def test_extraction_reads_the_shared_macros(extracted):
    """templates/_macros/ starts with `_`, which Babel's default --ignore-dirs skips."""
    assert {"Please correct the fields marked below.", "Page %(page)d of %(pages)d", "Previous", "Next"} <= extracted


def _sources():
    yield from sorted((ROOT / "incubator").rglob("*.py"))
    yield from sorted((ROOT / "templates").rglob("*.html"))
    yield from sorted((ROOT / "templates").rglob("*.txt"))


def test_every_literal_message_is_extracted(extracted):
    """A message the extractor cannot see (inside an f-string, in a skipped folder) is never in the
    catalogue and shows in the source language: every literal `_()` call must be extracted."""
    unseen = []
    for path in _sources():
        for match in LITERAL_CALL.finditer(path.read_text(encoding="utf-8")):
            text = match.group("text")
            if "\\" in text:
                text = ast.literal_eval(match.group("q") + text + match.group("q"))
            if text and text not in extracted:
                unseen.append(f"{path.relative_to(ROOT)}: {text!r}")
    assert unseen == []


def test_every_flash_is_translated():
    """`flash()` never gets a bare literal or f-string: what it says must go through the catalogue."""
    bare = []
    for path in sorted((ROOT / "incubator").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            called = isinstance(node, ast.Call) and getattr(node.func, "id", None) == "flash" and node.args
            if called and isinstance(node.args[0], ast.Constant | ast.JoinedStr):
                bare.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert bare == []
