"""What several pages read about the programme's set-up."""

from sqlalchemy import select

from incubator.cohorts.models import FocusArea
from incubator.extensions import db


def focus_area_names() -> dict[int, str]:
    """Every focus area's name in the page's language, by id, in code order: pages that show
    thousands of kept plain rows name their focus areas from this one small query."""
    return dict(db.session.execute(select(FocusArea.id, FocusArea.name_column()).order_by(FocusArea.code)).all())
