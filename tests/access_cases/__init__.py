"""The access matrix, one module per area. Each module defines CASES, a list of
(method, url, {identity: expected status}), and PUBLIC, the endpoints anyone may open.
URLs may hold placeholders filled from the `world` fixture of tests/test_access.py:
{user_id} {message_id} {space_id} {focus_area_id} {cohort_id} {round_id} {rubric_id}
{template_id} {criterion_id} {cohort_startup_id} {startup_id} {member_id} {application_id}.
A module may also define `build_world(ids) -> dict`: called inside an app context after the
common world is committed, it adds its area's objects and returns their placeholders."""

import importlib
import pkgutil

IDENTITIES = ("anonymous", "applicant", "judge", "mentor", "director")
LOGIN = 302  # anonymous visitors are sent to the sign-in page
ALL_200 = dict.fromkeys(IDENTITIES, 200)
SIGNED_IN_200 = {"anonymous": LOGIN, "applicant": 200, "judge": 200, "mentor": 200, "director": 200}


def director_only(ok=200):
    return {"anonymous": LOGIN, "applicant": 403, "judge": 403, "mentor": 403, "director": ok}


def _modules():
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        yield importlib.import_module(f"{__name__}.{info.name}")


def collect():
    """(cases, public endpoints) gathered from every module of this package."""
    cases, public = [], set()
    for module in _modules():
        cases.extend(module.CASES)
        public |= set(getattr(module, "PUBLIC", ()))
    return cases, public


def world_builders():
    """Each area's `build_world(ids)`, in module order."""
    return [module.build_world for module in _modules() if hasattr(module, "build_world")]
