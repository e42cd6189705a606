"""An applicant's copy of everything the product holds about them, as one ZIP: `data.json` with every
section, the same sections as CSV files, and their pitch decks under `decks/`.

Judging appears only as the founders see it: feedback a director released, judges as Judge A, B, …;
never an unreleased score, a judge's identity or an internal mentor note. The ZIP is written to a
temporary file (decks can be large), which the response streams and then removes."""

import json
import tempfile
import zipfile
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import select

from incubator.applications.models import Application
from incubator.applications.uploads import deck_path
from incubator.auth.models import User
from incubator.cohorts.models import CohortStartup
from incubator.core.spreadsheets import neutralised, to_csv
from incubator.extensions import db
from incubator.judging.decisions.feedback import founder_feedback, rounds_with_feedback
from incubator.privacy.services import consent_history, user_requests
from incubator.startups.models import Startup

FORMAT = "hetero-incubator-personal-data"
COLUMNS = {
    "profile": ("id", "name", "email", "locale", "roles", "created_at", "email_confirmed_at", "last_login_at"),
    "startups": (
        "id",
        "name",
        "city",
        "focus_area",
        "business_stage",
        "legal_status",
        "nib",
        "description",
        "website",
        "social_link",
        "created_at",
    ),
    "team_members": ("id", "startup_id", "name", "role", "email", "phone", "is_founder", "under_30", "is_woman"),
    "applications": (
        "id",
        "startup_id",
        "cohort",
        "status",
        "stage",
        "problem",
        "solution",
        "target_market",
        "business_model",
        "traction",
        "why_programme",
        "funding_need",
        "video_url",
        "deck_link",
        "deck_file",
        "created_at",
        "submitted_at",
    ),
    "stage_history": ("application_id", "from_stage", "to_stage", "at"),
    "feedback": ("application_id", "round", "criterion", "judge", "score", "comment"),
    "consents": ("version", "accepted_at", "source", "locale"),
    "deletion_requests": ("id", "requested_at", "status", "decided_at", "decision_reason"),
}


def _value(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value, "f")
    return value


def _row(values: dict[str, Any]) -> dict[str, Any]:
    return {k: _value(v) for k, v in values.items()}


def deck_name(application: Application) -> str:
    return f"decks/{application.id}-{application.deck_filename or 'deck.pdf'}"


def collect(user: User) -> dict[str, list[dict[str, Any]]]:
    """Every section of the copy as rows of plain values, in the order of COLUMNS."""
    startups = list(db.session.scalars(select(Startup).where(Startup.owner_id == user.id).order_by(Startup.id)))
    ids = [s.id for s in startups] or [-1]
    applications = list(
        db.session.scalars(select(Application).where(Application.startup_id.in_(ids)).order_by(Application.id))
    )
    data: dict[str, list[dict[str, Any]]] = {
        "profile": [
            _row(
                {
                    "id": user.id,
                    "name": user.name,
                    "email": user.email,
                    "locale": user.locale,
                    "roles": " ".join(sorted(user.roles)),
                    "created_at": user.created_at,
                    "email_confirmed_at": user.email_confirmed_at,
                    "last_login_at": user.last_login_at,
                }
            )
        ],
        "startups": [_startup(s) for s in startups],
        "team_members": [
            _row({name: getattr(m, name) for name in COLUMNS["team_members"]}) for s in startups for m in s.members
        ],
        "applications": [_application(a) for a in applications],
        "stage_history": [row for a in applications for row in _history(a)],
        "feedback": [row for a in applications for row in _feedback(a)],
        "consents": [
            _row({"version": c.version, "accepted_at": c.accepted_at, "source": c.source, "locale": c.locale})
            for c in consent_history(user)
        ],
        "deletion_requests": [
            _row({name: getattr(r, name) for name in COLUMNS["deletion_requests"]})
            for r in reversed(user_requests(user))
        ],
    }
    return data


def _startup(startup: Startup) -> dict[str, Any]:
    values = {name: getattr(startup, name) for name in COLUMNS["startups"] if name != "focus_area"}
    values["focus_area"] = startup.focus_area.code if startup.focus_area else ""
    return _row({name: values[name] for name in COLUMNS["startups"]})


def _application(application: Application) -> dict[str, Any]:
    values = {name: getattr(application, name, None) for name in COLUMNS["applications"]}
    values["cohort"] = application.cohort.name
    values["stage"] = application.membership.stage if application.membership else ""
    values["deck_file"] = deck_name(application) if application.deck_path else ""
    return _row(values)


def _history(application: Application) -> list[dict[str, Any]]:
    membership = db.session.scalar(
        select(CohortStartup).where(
            CohortStartup.startup_id == application.startup_id, CohortStartup.cohort_id == application.cohort_id
        )
    )
    if membership is None:
        return []
    return [
        _row(
            {
                "application_id": application.id,
                "from_stage": c.from_stage or "",
                "to_stage": c.to_stage,
                "at": c.created_at,
            }
        )
        for c in membership.history
    ]


def _feedback(application: Application) -> list[dict[str, Any]]:
    """Released feedback only, judges anonymised, exactly as the founders' feedback page shows it."""
    rows = []
    for round_ in rounds_with_feedback(application):
        shown = founder_feedback(round_, application)
        if shown is None:
            continue
        for item in shown.criteria:
            for entry in item.entries:
                rows.append(
                    _row(
                        {
                            "application_id": application.id,
                            "round": round_.name,
                            "criterion": item.criterion.name,
                            "judge": entry.judge,
                            "score": entry.score,
                            "comment": entry.comment,
                        }
                    )
                )
        for entry in shown.overall:
            rows.append(
                _row(
                    {
                        "application_id": application.id,
                        "round": round_.name,
                        "criterion": "",
                        "judge": entry.judge,
                        "score": None,
                        "comment": entry.comment,
                    }
                )
            )
    return rows


def _csv(section: str, rows: list[dict[str, Any]]) -> bytes:
    def cell(value):
        if isinstance(value, bool):
            return "1" if value else "0"
        return neutralised(value) if isinstance(value, str) else value

    return to_csv(COLUMNS[section], ([cell(row[c]) for c in COLUMNS[section]] for row in rows))


def write_zip(user: User, generated_at: datetime) -> tempfile.SpooledTemporaryFile:
    """The ZIP in a temporary file (rewound), removed when closed."""
    data = collect(user)
    applications = db.session.scalars(
        select(Application)
        .join(Startup, Startup.id == Application.startup_id)
        .where(Startup.owner_id == user.id, Application.deck_path.is_not(None))
        .order_by(Application.id)
    ).all()
    out = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)  # noqa: SIM115 - closed by the response
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        document = {"format": FORMAT, "version": 1, "generated_at": generated_at.isoformat(), **data}
        archive.writestr("data.json", json.dumps(document, ensure_ascii=False, indent=2))
        for section, rows in data.items():
            archive.writestr(f"{section}.csv", _csv(section, rows))
        for application in applications:
            try:
                archive.write(deck_path(application.deck_path), deck_name(application), zipfile.ZIP_STORED)
            except FileNotFoundError:
                continue  # a deck lost from disk: the rest of the copy is still theirs
    out.seek(0)
    return out
