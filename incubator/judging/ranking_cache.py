"""Rankings kept between requests: computed once per round and per change of the data.

A province-wide round holds thousands of sheets, and its ranking needs all of them (the
normalisation reads every judge's sheets), so computing it costs about a second. Instead:

- every committed change to something a ranking reads moves one stamp (`RankingStamp`),
  in the same transaction as the change, so the stamp and the data always agree;
- each process keeps the last few computed rankings keyed by (token, generation, round):
  while nothing changes, a page view costs one small query for the stamp.

Small figures that would otherwise count or sort thousands of rows on every view (a cohort's
funnel, its number of applications) are kept the same way, many more of them
(`kept(..., small=True)`), and so are the parts of pages written from such data alone: the
ranking, the application list, a judge's queue cards and a cohort's startups (`kept_written`).

What a ranking (or a kept board or page) reads is `WATCHED`: the models, and for some only the columns that matter
(a judge signing in changes `users.last_login_at`, not the ranking). Writes are noticed
whichever way they are made: objects flushed by the session (`before_flush`) and bulk
INSERT/UPDATE/DELETE statements run through it (`do_orm_execute`). The stamp moves in
`before_commit`, at the end of the transaction, so its row lock is held only while
committing. A transaction that has changed watched data and not committed yet computes its
rankings afresh and keeps none of them.
"""

import secrets
import threading
from collections import OrderedDict
from collections.abc import Callable

from flask import request
from markupsafe import Markup
from sqlalchemy import event, inspect, select, update
from sqlalchemy.orm import Session

from incubator.applications.models import Application
from incubator.auth.models import User, UserRole
from incubator.cohorts.models import Cohort, CohortStartup, FocusArea, cohort_focus_areas
from incubator.core.i18n import current_language
from incubator.extensions import db
from incubator.judging.models import (
    Assignment,
    ConflictDeclaration,
    Criterion,
    Decision,
    RankingStamp,
    Round,
    Rubric,
    Score,
    ScoreSheet,
    judge_focus_areas,
)
from incubator.mentoring.models import MentorAssignment
from incubator.startups.models import Startup, TeamMember

# Model -> the attributes a ranking reads (None: all of them).
WATCHED: dict[type, frozenset[str] | None] = {
    Round: None,
    Rubric: None,
    Criterion: None,
    Assignment: None,
    ConflictDeclaration: None,
    ScoreSheet: None,
    Score: None,
    Decision: None,
    MentorAssignment: None,
    Application: frozenset({"status", "startup_id", "cohort_id", "funding_need", "submitted_at"}),
    CohortStartup: frozenset({"stage", "stage_changed_at", "startup_id", "cohort_id"}),
    FocusArea: frozenset({"name_id", "name_en"}),  # named on kept boards and lists
    Cohort: frozenset({"focus_areas"}),  # the application list's filter offers them
    Startup: frozenset({"name", "owner_id", "city", "focus_area_id", "declared_women_in_team"}),
    TeamMember: frozenset({"email", "startup_id", "is_woman", "is_founder", "under_30"}),
    User: frozenset({"email", "name", "active"}),
    UserRole: None,  # who is a judge (the assignment board)
}
# Tables written without objects: the focus areas judges know (the assignment board), and a
# cohort's (written by its relationship, which `Cohort`'s entry watches).
WATCHED_TABLES = frozenset(model.__table__ for model in WATCHED) | {judge_focus_areas, cohort_focus_areas}
CHANGED = "ranking_inputs_changed"  # Session.info key: this transaction changed watched data
MOVED = "ranking_stamp_moved"  # Session.info key: and has moved the stamp
STAMP = "ranking_stamp"  # Session.info key: the stamp this transaction read
KEEP = 8  # rankings kept per process (a big round's is a few megabytes)
KEEP_SMALL = 256  # small figures kept per process
KEEP_WRITTEN = 64  # written pages kept per process (each some 20 KB)

_kept: OrderedDict[tuple, object] = OrderedDict()
_kept_small: OrderedDict[tuple, object] = OrderedDict()
_kept_written: OrderedDict[tuple, object] = OrderedDict()
_computing: dict[tuple, threading.Event] = {}  # (store, key) being computed: set when it is done
WAIT_SECONDS = 30  # the longest a thread waits for another's value (a big ranking takes a second or two)
_lock = threading.Lock()


def _changes_ranking(obj, *, dirty: bool) -> bool:
    for model, attributes in WATCHED.items():
        if isinstance(obj, model):
            if not dirty:
                return True
            # Dirty means an attribute was set, perhaps to the value it had (a merge does that).
            state = inspect(obj)
            watched = state.attrs if attributes is None else (state.attrs[name] for name in attributes)
            return any(attribute.history.has_changes() for attribute in watched)
    return False


def pending_changes(session: Session) -> bool:
    """Whether the session holds watched changes, flushed or not, that are not committed yet."""
    return bool(
        session.info.get(CHANGED)
        or any(_changes_ranking(obj, dirty=False) for obj in session.new)
        or any(_changes_ranking(obj, dirty=False) for obj in session.deleted)
        or any(_changes_ranking(obj, dirty=True) for obj in session.dirty)
    )


@event.listens_for(Session, "before_flush")
def _note_flushed_changes(session, flush_context, instances):
    if not session.info.get(CHANGED) and pending_changes(session):
        session.info[CHANGED] = True


@event.listens_for(Session, "do_orm_execute")
def _note_bulk_changes(state):
    if (state.is_insert or state.is_update or state.is_delete) and getattr(
        state.statement, "table", None
    ) in WATCHED_TABLES:
        state.session.info[CHANGED] = True


@event.listens_for(Session, "before_commit")
def _move_stamp(session):
    """Once per transaction, at its end (or at a savepoint's release, which the transaction
    keeps): the changes and the moved stamp commit together or not at all."""
    if session.new or session.dirty or session.deleted:
        session.flush()  # the commit's own flush comes after this event
    if session.info.get(CHANGED) and not session.info.get(MOVED):
        table = RankingStamp.__table__
        session.connection().execute(update(table).values(generation=table.c.generation + 1))
        session.info[MOVED] = True


@event.listens_for(Session, "after_transaction_end")
def _transaction_ended(session, transaction):
    # Until the outermost transaction ends its changes are not everyone's: keep computing afresh.
    if transaction.parent is None:
        session.info.pop(CHANGED, None)
        session.info.pop(MOVED, None)
        session.info.pop(STAMP, None)


def current_stamp() -> tuple[str, int] | None:
    """(token, generation) of the database, or None while it has no stamp row; read once per
    transaction (a page that shows several kept values reads it once)."""
    session = db.session()
    if STAMP not in session.info:
        row = session.execute(select(RankingStamp.token, RankingStamp.generation).limit(1)).first()
        session.info[STAMP] = (row.token, row.generation) if row else None
    return session.info[STAMP]


def new_token() -> str:
    return secrets.token_hex(16)


def renew_token() -> None:
    """Make every ranking kept by any process stale (after a restore, say); commits."""
    with db.engine.begin() as connection:
        connection.execute(update(RankingStamp.__table__).values(token=new_token()))
    db.session.info.pop(STAMP, None)


def kept(key: tuple, compute: Callable[[], object], *, small: bool = False, written: bool = False):
    """`compute()`'s value for `key` (what it is of, and what else the value depends on), computed
    once per data generation in this process. `small`: a few figures, kept among many more;
    `written`: a written page (its key names everything else the page was written from).

    Threads that ask for a value another thread is computing wait for it rather than compute it
    again: after a change, the views that come at once (a pitch day's directors, or a worker's
    threads) compute a big round's ranking once, not once each."""
    stamp = None if pending_changes(db.session) else current_stamp()
    if stamp is None:
        return compute()
    store, limit = (_kept_written, KEEP_WRITTEN) if written else (_kept_small, KEEP_SMALL) if small else (_kept, KEEP)
    key = (*stamp, *key)  # (token, generation, ...)
    flight = (id(store), key)
    with _lock:
        if key in store:
            store.move_to_end(key)
            return store[key]
        computing = _computing.get(flight)
        if computing is None:
            _computing[flight] = threading.Event()
    if computing is not None:
        computing.wait(WAIT_SECONDS)
        with _lock:
            if key in store:
                return store[key]
        return compute()  # it failed, took too long, or was dropped already: compute it here
    try:
        value = compute()
        with _lock:
            for older in [k for k in store if k[2:] == key[2:]]:  # the same value, older data
                del store[older]
            store[key] = value
            store.move_to_end(key)
            while len(store) > limit:
                store.popitem(last=False)
    finally:
        with _lock:
            _computing.pop(flight).set()
    return value


def kept_written(key: tuple, write: Callable[[], str]) -> Markup:
    """The part of a page that `write()` writes from watched data alone, kept as written until that
    data changes. `key` names what it shows; a template also reads the request's language, and the
    address and query its links are written with (a pager repeats the query), which are added."""
    shown = (current_language(), request.script_root, tuple(sorted(request.args.items(multi=True))))
    return Markup(kept((*key, *shown), write, written=True))  # noqa: S704 - written by a template


def forget_all() -> None:
    with _lock:
        _kept.clear()
        _kept_small.clear()
        _kept_written.clear()
