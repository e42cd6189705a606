"""Monthly KPI reports per startup in a cohort, and the cohort's custom metrics."""

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import BigInteger, CheckConstraint, Date, ForeignKey, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from incubator.auth.models import User
from incubator.cohorts.models import Cohort, CohortStartup
from incubator.core.database import UTCDateTime, utcnow
from incubator.extensions import db


class KpiMetric(db.Model):
    """A custom metric a director defines for a cohort (e.g. "Products listed online")."""

    __tablename__ = "kpi_metrics"

    id: Mapped[int] = mapped_column(primary_key=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohorts.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    unit: Mapped[str] = mapped_column(String(30), default="")
    position: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    cohort: Mapped[Cohort] = relationship()

    __table_args__ = (UniqueConstraint("cohort_id", "name"),)


class KpiReport(db.Model):
    """One month's figures of a startup; `month` is the first day of the month reported."""

    __tablename__ = "kpi_reports"

    id: Mapped[int] = mapped_column(primary_key=True)
    cohort_startup_id: Mapped[int] = mapped_column(ForeignKey("cohort_startups.id", ondelete="CASCADE"), index=True)
    month: Mapped[date] = mapped_column(Date)
    revenue: Mapped[int] = mapped_column(BigInteger, default=0)  # whole Rupiah
    paying_customers: Mapped[int] = mapped_column(default=0)
    employees_full_time: Mapped[int] = mapped_column(default=0)
    employees_part_time: Mapped[int] = mapped_column(default=0)
    funding_raised: Mapped[int] = mapped_column(BigInteger, default=0)  # whole Rupiah, in that month
    note: Mapped[str] = mapped_column(Text, default="")
    submitted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    cohort_startup: Mapped[CohortStartup] = relationship(lazy="joined")
    submitted_by: Mapped[User | None] = relationship()
    values: Mapped[list["KpiValue"]] = relationship(
        back_populates="report", cascade="all, delete-orphan", lazy="selectin"
    )

    __table_args__ = (
        UniqueConstraint("cohort_startup_id", "month"),
        CheckConstraint("revenue >= 0", name="revenue"),
        CheckConstraint("paying_customers >= 0", name="paying_customers"),
        CheckConstraint("employees_full_time >= 0", name="employees_full_time"),
        CheckConstraint("employees_part_time >= 0", name="employees_part_time"),
        CheckConstraint("funding_raised >= 0", name="funding_raised"),
    )


class KpiValue(db.Model):
    """A custom metric's value in one report."""

    __tablename__ = "kpi_values"

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("kpi_reports.id", ondelete="CASCADE"), index=True)
    metric_id: Mapped[int] = mapped_column(ForeignKey("kpi_metrics.id", ondelete="CASCADE"), index=True)
    value: Mapped[Decimal] = mapped_column(Numeric(18, 2))

    report: Mapped[KpiReport] = relationship(back_populates="values")
    metric: Mapped[KpiMetric] = relationship(lazy="joined")

    __table_args__ = (UniqueConstraint("report_id", "metric_id"),)
