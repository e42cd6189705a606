"""Themes shared by mentor sessions and activities (the programme's own list)."""

from flask_babel import lazy_gettext as _l
from wtforms.fields.choices import SelectChoice

THEMES = (
    "finance",
    "design_branding",
    "going_online",
    "legality_licensing",
    "product",
    "pitching",
    "fundraising",
    "other",
)

THEME_LABELS = {
    "finance": _l("Finance"),
    "design_branding": _l("Design and branding"),
    "going_online": _l("Going online"),
    "legality_licensing": _l("Legality and licensing"),
    "product": _l("Product"),
    "pitching": _l("Pitching"),
    "fundraising": _l("Fundraising"),
    "other": _l("Other"),
}


def theme_label(code: str) -> str:
    return str(THEME_LABELS.get(code, code))


def theme_choices() -> list[SelectChoice]:
    return [SelectChoice(code, theme_label(code)) for code in THEMES]
