"""The privacy notice: its version, and which template holds it in each language.

Changing what the notice says means a new VERSION: every applicant who accepted an older one is
asked again at their next page view after signing in (privacy.gate)."""

VERSION = "2026-12"
# The date the version took effect, shown on the notice.
EFFECTIVE = "2026-12-07"
# The notice in each language; the page shows the reader's.
TEMPLATES = {"id": "privacy/notice_id.html", "en": "privacy/notice_en.html"}


def notice_template(language: str) -> str:
    return TEMPLATES.get(language, TEMPLATES["id"])
