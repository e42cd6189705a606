"""Every user-visible string is translated in both catalogues, none fuzzy."""

import subprocess
import sys
from pathlib import Path

import pytest

from incubator.core.catalogs import problems

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    pot = tmp_path_factory.mktemp("i18n") / "messages.pot"
    subprocess.run(
        [
            str(Path(sys.executable).parent / "pybabel"),
            "extract",
            "-F",
            "babel.cfg",
            "-k",
            "_l",
            "-k",
            "lazy_gettext",
            "-o",
            str(pot),
            ".",
        ],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    return pot


@pytest.mark.parametrize("locale", ["id", "en"])
def test_catalogue_is_complete(template, locale):
    assert problems(locale, template) == []


def test_extraction_finds_the_strings(template):
    text = template.read_text(encoding="utf-8")
    assert 'msgid "Sign in"' in text
    assert 'msgid "This password is too common; choose one that is harder to guess."' in text
