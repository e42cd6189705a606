"""Files handed to the browser: their names and the response that carries them."""

import io
import re

from flask import send_file


def slug(text: str, fallback: str, limit: int = 40) -> str:
    """Lower-case ASCII words joined by hyphens, for file names ("Seleksi pitch" -> "seleksi-pitch")."""
    return re.sub(r"[^a-z0-9]+", "-", (text or "").lower()).strip("-")[:limit].strip("-") or fallback


def round_file_name(round_, what: str, extension: str) -> str:
    return f"round-{round_.id}-{slug(round_.name, 'round')}-{what}.{extension}"


def download(data: bytes, mimetype: str, name: str):
    """An attachment that no shared cache keeps: exports hold names, e-mails and scores."""
    response = send_file(io.BytesIO(data), mimetype=mimetype, as_attachment=True, download_name=name)
    response.headers["Cache-Control"] = "private, no-store"
    return response
