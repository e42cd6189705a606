"""Pitch-deck uploads: checked by their content, stored under UPLOAD_FOLDER with a server-made name."""

import re
import secrets
import unicodedata
from pathlib import Path
from typing import BinaryIO

from flask import current_app
from pypdf import PdfReader
from pypdf.errors import PdfReadError

PDF_MAGIC = b"%PDF-"
DECK_DIR = "decks"


class DeckProblem(Exception):
    """Why an upload is not accepted: one of 'empty', 'not_pdf', 'broken', 'too_large', 'scripted'."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


def check_pdf(stream: BinaryIO, max_bytes: int) -> int:
    """The size of a real PDF of at most `max_bytes`, or DeckProblem. The stream is rewound."""
    stream.seek(0, 2)
    size = stream.tell()
    stream.seek(0)
    if size == 0:
        raise DeckProblem("empty")
    if size > max_bytes:
        raise DeckProblem("too_large")
    if stream.read(len(PDF_MAGIC)) != PDF_MAGIC:
        raise DeckProblem("not_pdf")
    stream.seek(0)
    try:
        reader = PdfReader(stream, strict=False)
        if len(reader.pages) < 1:
            raise DeckProblem("broken")
        root = reader.trailer["/Root"]
        names = root.get("/Names", {}) if hasattr(root, "get") else {}
        # A deck with JavaScript or auto-run actions is refused: judges open these files.
        if "/OpenAction" in root or "/AA" in root or (hasattr(names, "get") and "/JavaScript" in names):
            raise DeckProblem("scripted")
    except DeckProblem:
        raise
    except (PdfReadError, KeyError, ValueError, TypeError, OSError, RecursionError) as exc:
        raise DeckProblem("broken") from exc
    finally:
        stream.seek(0)
    return size


def safe_filename(name: str, fallback: str = "deck.pdf") -> str:
    """The uploader's file name reduced to harmless characters, for display and downloads only."""
    name = unicodedata.normalize("NFKD", name or "").encode("ascii", "ignore").decode()
    name = Path(name.replace("\\", "/")).name
    name = re.sub(r"[^A-Za-z0-9._ -]+", "", name).strip(" .")[:150]
    if not name:
        return fallback
    return name if name.lower().endswith(".pdf") else f"{name}.pdf"


def deck_folder() -> Path:
    folder = Path(current_app.config["UPLOAD_FOLDER"]) / DECK_DIR
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def store_deck(stream: BinaryIO) -> str:
    """Write the (already checked) PDF under a random name; returns that name."""
    name = f"{secrets.token_hex(16)}.pdf"
    stream.seek(0)
    with (deck_folder() / name).open("wb") as out:
        while chunk := stream.read(1024 * 1024):
            out.write(chunk)
    return name


def deck_path(name: str) -> Path:
    """The stored file for a name this module generated (anything else is refused)."""
    if not re.fullmatch(r"[0-9a-f]{32}\.pdf", name or ""):
        raise FileNotFoundError(name)
    return deck_folder() / name
