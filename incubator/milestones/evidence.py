"""Evidence links, as plain functions (no Flask, no database).

Only http(s) links with a host are kept: `javascript:`, `data:` and other schemes could run
code or smuggle content when a mentor clicks them.
"""

from urllib.parse import urlsplit

SAFE_SCHEMES = ("http", "https")


def link_problem(url: str) -> str | None:
    """Why `url` cannot be kept as evidence: "scheme" (not http/https) or "host" (no host);
    None when it is fine (an empty link is fine: the note may be the evidence)."""
    url = (url or "").strip()
    if not url:
        return None
    # Browsers ignore control characters and spaces inside a scheme ("java\tscript:"): so do we.
    squeezed = "".join(ch for ch in url if ord(ch) > 32)
    try:
        parts = urlsplit(squeezed)
    except ValueError:
        return "host"
    if parts.scheme.lower() not in SAFE_SCHEMES:
        return "scheme"
    if not parts.hostname:
        return "host"
    return None
