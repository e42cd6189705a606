"""The access matrix, one module per area. Each module defines CASES, a list of
(method, url, {identity: expected status}), and PUBLIC, the endpoints anyone may open.

The identities (users of the `world` fixture of tests/test_access.py):
- anonymous: nobody signed in;
- founder: founder@example.org, who owns the world's startup "GamelanVerse" and its application;
- applicant: another applicant, who owns a second startup {other_startup_id} with its own application
  {other_application_id} in the same cohort (in pre-incubation: {other_cohort_startup_id});
- assigned_judge: other@example.org, assigned to the world's application (in the draft round {round_id},
  and in the open round {open_round_id} of tests/access_cases/scoring.py);
- judge: a judge assigned to nothing;
- mentor: a mentor assigned to the second startup, not to the world's;
- director: boss@example.org, who set the world up.

Convention: an expectation may leave out "founder" and "assigned_judge"; they then expect what
"applicant" and "judge" expect (an applicant or judge with no tie to the object). Where the world's
founder or its assigned judge gets another answer, the case says so explicitly; a case that lets the
`applicant` in (the second startup's pages) names "founder" too.

URLs may hold placeholders filled from the `world` fixture:
{user_id} (the assigned judge) {message_id} {space_id} {focus_area_id} {cohort_id} {round_id} {rubric_id}
{template_id} {criterion_id} {cohort_startup_id} {startup_id} {member_id} {application_id}
{other_startup_id} {other_member_id} {other_application_id} {other_cohort_startup_id}.
A module may also define `build_world(ids) -> dict`: called inside an app context after the
common world is committed, it adds its area's objects and returns their placeholders."""

import importlib
import pkgutil

IDENTITIES = ("anonymous", "founder", "applicant", "assigned_judge", "judge", "mentor", "director")
DEFAULTS = {"founder": "applicant", "assigned_judge": "judge"}  # the convention above
LOGIN = 302  # anonymous visitors are sent to the sign-in page
ALL_200 = dict.fromkeys(IDENTITIES, 200)
SIGNED_IN_200 = {"anonymous": LOGIN, **dict.fromkeys(IDENTITIES[1:], 200)}
NOT_FOUND_WHEN_SIGNED_IN = {"anonymous": LOGIN, **dict.fromkeys(IDENTITIES[1:], 404)}


def director_only(ok=200):
    return {"anonymous": LOGIN, "applicant": 403, "judge": 403, "mentor": 403, "director": ok}


def complete(expected: dict) -> dict:
    """The expectation for every identity, with the convention's defaults filled in."""
    full = {identity: expected.get(identity, expected.get(DEFAULTS.get(identity))) for identity in IDENTITIES}
    unknown = set(expected) - set(IDENTITIES)
    assert not unknown and None not in full.values(), f"incomplete expectation {expected}"
    return full


def _modules():
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        yield importlib.import_module(f"{__name__}.{info.name}")


def collect():
    """(cases, public endpoints) gathered from every module of this package; each case's
    expectation names every identity."""
    cases, public = [], set()
    for module in _modules():
        cases.extend((method, url, complete(expected)) for method, url, expected in module.CASES)
        public |= set(getattr(module, "PUBLIC", ()))
    return cases, public


def world_builders():
    """Each area's `build_world(ids)`, in module order."""
    return [module.build_world for module in _modules() if hasattr(module, "build_world")]
