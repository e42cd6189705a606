"""The one writer of `detected_conflicts`: conflicts found in the data, stored.

`update(startup_ids=..., judge_ids=...)` rewrites the stored conflicts of those startups (with
every judge) and of those judges (with every startup) from the data as it is now, by
judging.conflicts.rules.find, and refreshes the stored results of the rounds where a final sheet
moves with them. Its callers are the writers of what conflicts are found in, in their own
transaction: the team (a member added, changed or removed), a new startup and its owner,
mentoring (a mentor assigned or removed), and accounts (a user created, a judge's role granted
or revoked, an account erased). Pages never compute a conflict: they read the stored rows.

"Judges" here are the users who hold the judge role or have judged (an assignment or a sheet),
so that a sheet written before a role was taken away is still held to its conflicts.
"""

from collections import defaultdict
from collections.abc import Iterable

from sqlalchemy import ColumnElement, delete, func, insert, or_, select, true, union
from sqlalchemy import update as sql_update

from incubator.auth.models import Role, User, UserRole
from incubator.cohorts.models import CohortStartup
from incubator.extensions import db
from incubator.judging.conflicts.models import DetectedConflict
from incubator.judging.conflicts.rules import Found, domain_of, find, identifying
from incubator.judging.models import Assignment, ScoreSheet
from incubator.mentoring.models import MentorAssignment
from incubator.startups.models import Startup, TeamMember

Pairs = dict[tuple[int, int], Found]


def update(*, startup_ids: Iterable[int] = (), judge_ids: Iterable[int] = ()) -> None:
    """Rewrite the stored conflicts of these startups and of these judges, then refresh the
    stored results of the rounds they move (judging.ranking.results.refresh_for)."""
    startup_ids = {i for i in startup_ids if i is not None}
    judge_ids = {i for i in judge_ids if i is not None}
    db.session.flush()  # the writer's own change is what is read
    changed: set[tuple[int, int]] = set()
    if startup_ids:
        changed |= _rewrite(live(startup_ids=startup_ids), DetectedConflict.startup_id.in_(startup_ids))
    if judge_ids:
        changed |= _rewrite(live(judge_ids=judge_ids), DetectedConflict.judge_id.in_(judge_ids))
    if changed:
        from incubator.judging.ranking import results

        results.refresh_for(startup_ids={s for _, s in changed}, judge_ids={j for j, _ in changed})


def rebuild_all() -> int:
    """Rewrite every stored conflict from the data (`flask refresh-results`); the number of
    (judge, startup) pairs that changed."""
    db.session.flush()
    return len(_rewrite(live(), true()))


def live(*, startup_ids: set[int] | None = None, judge_ids: set[int] | None = None) -> Pairs:
    """The conflicts found in the data now: of these startups with every judge, or of these
    judges with every startup, or (with neither) all of them."""
    judges = _judges(judge_ids)
    if judge_ids is not None:
        startup_ids = _related(judges) if judges else set()
    owners, people, mentored = _startups(startup_ids)
    return find(judges, owners, people, mentored)


def stored(where: ColumnElement[bool] | None = None) -> Pairs:
    """The stored conflicts (those matching `where`)."""
    statement = select(
        DetectedConflict.judge_id, DetectedConflict.startup_id, DetectedConflict.kind, DetectedConflict.domain
    )
    if where is not None:
        statement = statement.where(where)
    return {(j, s): Found(kind, domain) for j, s, kind, domain in db.session.execute(statement)}


def _rewrite(wanted: Pairs, scope: ColumnElement[bool]) -> set[tuple[int, int]]:
    """Make the stored rows within `scope` equal `wanted`; the pairs that changed."""
    have = stored(scope)
    gone = [pair for pair in have if pair not in wanted]
    added = [pair for pair in wanted if pair not in have]
    moved = [pair for pair in wanted if pair in have and have[pair] != wanted[pair]]
    table = DetectedConflict.__table__
    run = db.session.connection().execute
    for judge_id, startup_id in gone:
        run(delete(table).where(table.c.judge_id == judge_id, table.c.startup_id == startup_id))
    if added:
        run(
            insert(table),
            [
                {"judge_id": j, "startup_id": s, "kind": wanted[j, s].kind, "domain": wanted[j, s].domain}
                for j, s in added
            ],
        )
    for judge_id, startup_id in moved:
        found = wanted[judge_id, startup_id]
        run(
            sql_update(table)
            .where(table.c.judge_id == judge_id, table.c.startup_id == startup_id)
            .values(kind=found.kind, domain=found.domain)
        )
    return set(gone) | set(added) | set(moved)


def _judges(judge_ids: set[int] | None) -> dict[int, str]:
    """{id: e-mail} of the judges (among `judge_ids`, if given)."""
    ids = union(
        select(UserRole.user_id).where(UserRole.role == Role.JUDGE),
        select(Assignment.judge_id),
        select(ScoreSheet.judge_id),
    ).subquery()
    statement = select(User.id, User.email).where(User.id.in_(select(ids.c[0])))
    if judge_ids is not None:
        if not judge_ids:
            return {}
        statement = statement.where(User.id.in_(judge_ids))
    return {user_id: email for user_id, email in db.session.execute(statement)}


def _like(domain: str):
    """A LIKE pattern for addresses at `domain` (its wildcards taken literally)."""
    escaped = domain.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return "%@" + escaped


def _related(judges: dict[int, str]) -> set[int]:
    """The ids of the startups that may have a conflict with one of `judges`."""
    emails = {email.lower() for email in judges.values() if email}
    domains = {domain_of(email) for email in emails} - {""}
    domains = {domain for domain in domains if identifying(domain)}
    member = func.lower(TeamMember.email)
    owner = func.lower(User.email)
    team = or_(member.in_(emails), *(member.like(_like(d), escape="\\") for d in domains))
    parts = [
        select(Startup.id).where(Startup.owner_id.in_(list(judges))),
        select(TeamMember.startup_id).where(team),
        select(CohortStartup.startup_id)
        .join(MentorAssignment, MentorAssignment.cohort_startup_id == CohortStartup.id)
        .where(MentorAssignment.mentor_id.in_(list(judges))),
    ]
    if domains:
        parts.append(
            select(Startup.id)
            .join(User, User.id == Startup.owner_id)
            .where(or_(*(owner.like(_like(d), escape="\\") for d in domains)))
        )
    statement = union(*parts)
    return set(db.session.scalars(statement))


def _startups(startup_ids: set[int] | None):
    """What the rule reads of these startups (all of them when None): {id: owner id}, {id: the
    team's and the owner's addresses}, and the (mentor id, startup id) pairs."""
    owners_statement = select(Startup.id, Startup.owner_id)
    members_statement = select(TeamMember.startup_id, TeamMember.email).where(TeamMember.email != "")
    owner_emails = select(Startup.id, User.email).join(User, User.id == Startup.owner_id)
    mentors = select(MentorAssignment.mentor_id, CohortStartup.startup_id).join(
        CohortStartup, CohortStartup.id == MentorAssignment.cohort_startup_id
    )
    if startup_ids is not None:
        if not startup_ids:
            return {}, {}, set()
        ids = list(startup_ids)
        owners_statement = owners_statement.where(Startup.id.in_(ids))
        members_statement = members_statement.where(TeamMember.startup_id.in_(ids))
        owner_emails = owner_emails.where(Startup.id.in_(ids))
        mentors = mentors.where(CohortStartup.startup_id.in_(ids))
    owners = dict(db.session.execute(owners_statement).all())
    people: dict[int, set[str]] = defaultdict(set)
    for startup_id, email in db.session.execute(members_statement.union_all(owner_emails)):
        if email:
            people[startup_id].add(email)
    return owners, people, {tuple(row) for row in db.session.execute(mentors)}
