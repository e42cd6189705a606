"""Pitch-deck uploads: checked by their content, stored under UPLOAD_FOLDER with a server-made name."""

import re
import secrets
import tempfile
import unicodedata
import zipfile
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import BinaryIO
from urllib.parse import urlsplit

from flask import current_app
from pypdf import PdfReader
from pypdf.errors import DependencyError, PyPdfError
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject
from werkzeug.formparser import FormDataParser

PDF_MAGIC = b"%PDF-"
DECK_DIR = "decks"
# Viewers look for the end marker in the last kilobyte; browsers sniff the first bytes for markup.
TAIL_BYTES = 1024
HEAD_BYTES = 1024
MARKUP = re.compile(rb"<\s*(?:!doctype|html|head|body|script|iframe|svg|object|embed)\b", re.IGNORECASE)
# What a link or a bookmark of a deck may do: go to a page, open a web address, turn the page.
SAFE_ACTIONS = {"/GoTo", "/URI", "/Named"}
# Reading a deck's objects holds each stream (an image may be most of a 10 MB file) in memory.
# One thread of the process reads them all, one deck at a time: the C allocator keeps freed memory
# in an arena per thread, so checks run by each request's own thread would leave a deck's worth
# in every thread's arena. Thus a worker grows by about one deck however many of its threads
# receive decks at once (bench/deadline.py measures it).
_CHECKER = ThreadPoolExecutor(max_workers=1, thread_name_prefix="deck-check")
SAFE_URI_SCHEMES = {"", "http", "https", "mailto", "tel"}
# Keys that carry scripts (wherever they appear) or attached files.
SCRIPT_KEYS = {"/JS", "/JavaScript", "/AA", "/XFA"}
ATTACHMENT_KEYS = {"/EmbeddedFiles", "/EF"}
ACTION_KEYS = ("/A", "/OpenAction", "/Next")


class DeckProblem(Exception):
    """Why an upload is not accepted: one of 'empty', 'not_pdf', 'broken', 'too_large', 'scripted',
    'encrypted' or 'attachment'."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


def check_pdf(stream: BinaryIO, max_bytes: int) -> int:
    """The size of a real PDF of at most `max_bytes`, or DeckProblem. The stream is rewound.

    Judges open these files on their own machines, so besides opening as a PDF the file must
    be nothing else too (no HTML or ZIP riding along), unencrypted (we must be able to read
    it), and free of scripts, automatic actions and attached files."""
    if getattr(stream, "overflowed", False):  # the form parser kept only the first bytes
        raise DeckProblem("too_large")
    stream.seek(0, 2)
    size = stream.tell()
    stream.seek(0)
    if size == 0:
        raise DeckProblem("empty")
    if size > max_bytes:
        raise DeckProblem("too_large")
    head = stream.read(HEAD_BYTES)
    if not head.startswith(PDF_MAGIC) or MARKUP.search(head) or zipfile.is_zipfile(stream):
        raise DeckProblem("not_pdf")
    stream.seek(max(0, size - TAIL_BYTES))
    tail = stream.read()
    end = tail.rfind(b"%%EOF")
    if end < 0:  # cut off on the way
        raise DeckProblem("broken")
    if tail[end + 5 :].strip(b" \t\r\n\f\x00"):  # a second file riding after the PDF
        raise DeckProblem("not_pdf")
    stream.seek(0)
    _CHECKER.submit(_check_objects, stream).result()
    return size


def _check_objects(stream: BinaryIO) -> None:
    """Open the PDF and check every object reachable from its trailer (see check_pdf)."""
    reader = None
    try:
        reader = PdfReader(stream, strict=False)
        if reader.is_encrypted:
            raise DeckProblem("encrypted")
        if len(reader.pages) < 1:
            raise DeckProblem("broken")
        for obj in _reachable(reader):
            _check_object(obj)
    except DeckProblem:
        raise
    except (
        PyPdfError,
        DependencyError,
        KeyError,
        ValueError,
        TypeError,
        AttributeError,
        OSError,
        RecursionError,
    ) as exc:
        raise DeckProblem("broken") from exc
    finally:
        stream.seek(0)
        if reader is not None:  # its objects refer to it in cycles: let go of the streams now
            reader.resolved_objects.clear()


def _reachable(reader: PdfReader) -> Iterator[DictionaryObject]:
    """Every dictionary reachable from the trailer, each indirect object once; iterative, so a
    deep chain cannot exhaust the stack."""
    seen: set[tuple[int, int]] = set()
    stack: list = [reader.trailer]
    while stack:
        obj = stack.pop()
        if isinstance(obj, IndirectObject):
            ref = (obj.idnum, obj.generation)
            if ref in seen:
                continue
            seen.add(ref)
            obj = obj.get_object()
        if isinstance(obj, DictionaryObject):
            yield obj
            stack.extend(dict.values(obj))
        elif isinstance(obj, ArrayObject):
            stack.extend(list.__iter__(obj))


def _check_object(obj: DictionaryObject) -> None:
    keys = set(obj.keys())
    if keys & SCRIPT_KEYS:
        raise DeckProblem("scripted")
    if keys & ATTACHMENT_KEYS or obj.get("/Type") == "/EmbeddedFile" or obj.get("/Subtype") == "/FileAttachment":
        raise DeckProblem("attachment")
    for key in ACTION_KEYS:
        actions = obj.get(key)
        for action in actions if isinstance(actions, ArrayObject) else [actions]:
            action = action.get_object() if isinstance(action, IndirectObject) else action
            # An /OpenAction may also be a plain destination (an array): "open at page 1, fit".
            if isinstance(action, DictionaryObject) and "/S" in action:
                _check_action(action)


def _check_action(action: DictionaryObject) -> None:
    if action["/S"] not in SAFE_ACTIONS:
        raise DeckProblem("scripted")
    if action["/S"] == "/URI":
        uri = action.get("/URI")
        text = uri.decode("latin-1") if isinstance(uri, bytes) else str(uri or "")
        # Viewers, like browsers, ignore control characters and spaces inside a scheme ("java\tscript:").
        squeezed = "".join(ch for ch in text if ord(ch) > 32)
        if urlsplit(squeezed).scheme.lower() not in SAFE_URI_SCHEMES:
            raise DeckProblem("scripted")


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


class CappedFile:
    """Where the form parser streams an uploaded file: a temporary file on disk that keeps at
    most `cap` bytes and drops the rest, noting that it did (`overflowed`). A deck over the
    limit is thus refused with its own message while the text sent with it is still read."""

    def __init__(self, cap: int) -> None:
        self._file = tempfile.TemporaryFile()  # noqa: SIM115 - closed with the request's files
        self.cap = cap
        self.received = 0
        self.overflowed = False

    def write(self, data: bytes) -> int:
        room = self.cap - self.received
        self.received += len(data)
        if len(data) > room:
            self.overflowed = True
            data = data[: max(room, 0)]
        if data:
            self._file.write(data)
        return len(data)

    def __getattr__(self, name: str):
        return getattr(self._file, name)


class CappedFormParser(FormDataParser):
    """Werkzeug's form parser, streaming each file into a `CappedFile` of `cap` bytes."""

    def __init__(self, *, cap: int, stream_factory=None, **kwargs) -> None:
        super().__init__(stream_factory=lambda *args, **kw: CappedFile(cap), **kwargs)
