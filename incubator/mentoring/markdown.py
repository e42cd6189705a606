"""Session notes in Markdown, rendered to HTML that is safe to show (no Flask, no database).

Two well-kept libraries, each doing one job: markdown-it-py turns Markdown into HTML with raw
HTML switched off (a typed `<script>` stays text), then nh3 (the Ammonia sanitiser) keeps only
the tags below, only http/https/mailto links, and marks every link rel="noopener noreferrer nofollow".
Images are not allowed: a page must load nothing from another host.
"""

import nh3
from markdown_it import MarkdownIt

ALLOWED_TAGS = {
    "p", "br", "strong", "em", "code", "pre", "blockquote", "ul", "ol", "li",
    "h4", "h5", "h6", "hr", "a", "table", "thead", "tbody", "tr", "th", "td", "s",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}, "th": {"align"}, "td": {"align"}}
URL_SCHEMES = {"http", "https", "mailto"}
LINK_REL = "noopener noreferrer nofollow"

_parser = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False}).enable("table")


# A note sits under the page's own headings (one <h1> per page): "# Title" becomes an <h4>.
HEADING_OFFSET = 3


def render_markdown(text: str | None) -> str:
    """Markdown as sanitised HTML (a string safe to mark as such in a template)."""
    tokens = _parser.parse(text or "")
    for token in tokens:
        if token.type in ("heading_open", "heading_close"):
            token.tag = f"h{min(int(token.tag[1]) + HEADING_OFFSET, 6)}"
    html = _parser.renderer.render(tokens, _parser.options, {})
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel=LINK_REL,
        strip_comments=True,
    )
