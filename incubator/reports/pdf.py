"""PDF rendering with WeasyPrint, fetching nothing but the app's own static files.

User text ends up in these documents (startup names, comments, links), so the renderer
must never be a way to read the server's files or reach the network: the URL fetcher
answers only URLs under REPORT_BASE_URL + "static/" from the static folder (fonts, CSS,
logo) and refuses everything else (file://, data:, any other host or port, link-local
and loopback addresses); it opens no connection at all, so there is no redirect to follow.
"""

import logging
import threading
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit

from weasyprint import HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

from incubator.reports.fonts import printable_document

STATIC_FOLDER = Path(__file__).resolve().parent.parent / "static"
# A reserved name (RFC 6761 .invalid) that cannot resolve: only our fetcher knows it.
REPORT_BASE_URL = "https://reports.incubator.invalid/"
_STATIC_PREFIX = "/static/"
_TYPES = {
    ".css": "text/css",
    ".ttf": "font/ttf",
    ".otf": "font/otf",
    ".woff2": "font/woff2",
    ".svg": "image/svg+xml",
    ".png": "image/png",
}

log = logging.getLogger(__name__)


class RefusedURL(ValueError):
    """A document asked for something outside the app's static files."""


def static_path(url: str) -> Path:
    """The static file a report URL names; RefusedURL for anything else."""
    parts = urlsplit(url)
    base = urlsplit(REPORT_BASE_URL)
    if (parts.scheme, parts.netloc) != (base.scheme, base.netloc) or not parts.path.startswith(_STATIC_PREFIX):
        raise RefusedURL(f"refused: {url[:200]}")
    relative = PurePosixPath(unquote(parts.path.removeprefix(_STATIC_PREFIX)))
    if relative.is_absolute() or ".." in relative.parts or "\\" in str(relative):
        raise RefusedURL(f"refused: {url[:200]}")
    path = (STATIC_FOLDER / relative).resolve()
    if not path.is_relative_to(STATIC_FOLDER) or not path.is_file() or path.suffix not in _TYPES:
        raise RefusedURL(f"refused: {url[:200]}")
    return path


class StaticOnlyFetcher(URLFetcher):
    """WeasyPrint's fetcher, narrowed to the app's static files."""

    def __init__(self):
        super().__init__(allowed_protocols=("https",), allow_redirects=False, fail_on_errors=False)
        self.refused: list[str] = []

    def fetch(self, url, headers=None):
        try:
            path = static_path(url)
        except RefusedURL:
            self.refused.append(url)
            log.warning("PDF rendering refused to fetch %.200s", url)
            raise
        return URLFetcherResponse(url, body=path.read_bytes(), headers={"Content-Type": _TYPES[path.suffix]})


_local = threading.local()


def font_config() -> FontConfiguration:
    """This thread's font configuration, kept between documents: a new one per document loads the
    vendored fonts again and never gives the memory back (about 0.25 MB per scorecard)."""
    if not hasattr(_local, "fonts"):
        _local.fonts = FontConfiguration()
    return _local.fonts


def render_pdf(html: str, fetcher: StaticOnlyFetcher | None = None) -> bytes:
    """The PDF of a complete HTML document whose relative links resolve under the report base.
    Its text is cut to what the bundled fonts print (reports.fonts): no bidi control, no empty box."""
    fetcher = fetcher or StaticOnlyFetcher()
    document = HTML(string=printable_document(html), base_url=REPORT_BASE_URL, url_fetcher=fetcher)
    return document.write_pdf(font_config=font_config())
