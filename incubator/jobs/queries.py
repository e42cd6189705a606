"""Reads for the job pages."""

from sqlalchemy import select

from incubator.extensions import db
from incubator.jobs.models import ExportJob

RECENT_LIMIT = 50


def recent_jobs(user_id: int, limit: int = RECENT_LIMIT) -> list[ExportJob]:
    """The user's latest jobs, newest first, in one query."""
    return list(
        db.session.scalars(
            select(ExportJob)
            .where(ExportJob.created_by_id == user_id)
            .order_by(ExportJob.created_at.desc(), ExportJob.id)
            .limit(limit)
        )
    )
