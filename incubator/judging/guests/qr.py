"""The sign-in link's QR code, drawn on the server as SVG with segno (pure Python): the card page
embeds it, so nothing is loaded from another host and it prints sharp at any size."""

import segno
from markupsafe import Markup


def qr_svg(link: str, title: str) -> Markup:
    """An inline <svg> of `link`'s QR code (error correction M, 4-module quiet zone), titled
    `title` for screen readers. segno escapes the title."""
    code = segno.make_qr(link, error="m")
    svg = code.svg_inline(scale=5, border=4, title=title, svgclass="guest-qr", lineclass=None, omitsize=True)
    return Markup(svg)  # noqa: S704 - segno's own SVG, the title escaped by segno
