"""An export that runs in the background: its kind and parameters, progress, and the file it made."""

import secrets
from datetime import datetime

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from incubator.auth.models import User
from incubator.core.database import UTCDateTime, utcnow
from incubator.core.messages import render
from incubator.extensions import db

JOB_STATUSES = ("queued", "running", "finished", "failed")


def new_job_id() -> str:
    """22 URL-safe characters (128 random bits): the id is the only thing in the job's URLs."""
    return secrets.token_urlsafe(16)


class ExportJob(db.Model):
    """One background export, started by a director; its file lives under UPLOAD_FOLDER/exports/."""

    __tablename__ = "export_jobs"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_job_id)
    kind: Mapped[str] = mapped_column(String(40))
    params: Mapped[dict] = mapped_column(JSON, default=dict)
    # The starter's language: the file is made in it, far from the request that asked for it.
    locale: Mapped[str] = mapped_column(String(5), default="id")
    status: Mapped[str] = mapped_column(String(10), default="queued")
    progress_done: Mapped[int] = mapped_column(default=0)
    progress_total: Mapped[int] = mapped_column(default=0)
    file_path: Mapped[str | None] = mapped_column(String(200))
    file_name: Mapped[str | None] = mapped_column(String(200))
    mimetype: Mapped[str | None] = mapped_column(String(100))
    error: Mapped[str | None] = mapped_column(String(500))  # a refusal's text, in the starter's language
    # A failure the system describes: a message key, shown in the reader's language (core.messages).
    error_message: Mapped[dict | None] = mapped_column(JSON)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    # What the job makes (kind, parameters, language, data): a second request for it finds this job
    # (jobs.services.start_once). Cleared when the job fails, so that asking again tries again.
    dedupe_key: Mapped[str | None] = mapped_column(String(64))

    created_by: Mapped[User] = relationship()

    __table_args__ = (
        CheckConstraint("status IN ('queued', 'running', 'finished', 'failed')", name="status"),
        CheckConstraint("progress_done >= 0 AND progress_total >= 0", name="progress"),
        CheckConstraint("status != 'finished' OR file_path IS NOT NULL", name="finished_has_file"),
        Index("ix_export_jobs_created_by_id_created_at", "created_by_id", "created_at"),
        Index("ix_export_jobs_dedupe_key", "dedupe_key", unique=True),
    )

    @property
    def error_text(self) -> str:
        """Why the export failed, in the reader's language when the system said it."""
        return render(self.error_message) if self.error_message else (self.error or "")

    @property
    def is_active(self) -> bool:
        """Still waiting or running: its page keeps checking."""
        return self.status in ("queued", "running")

    def is_expired(self, now: datetime | None = None) -> bool:
        return self.expires_at <= (now or utcnow())

    @property
    def percent(self) -> int:
        if self.status == "finished":
            return 100
        if not self.progress_total:
            return 0
        return min(100, self.progress_done * 100 // self.progress_total)
