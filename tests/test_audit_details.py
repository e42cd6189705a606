"""An audit event's details are shown with translated labels, codes as their labels, never raw keys."""

import ast
from pathlib import Path

import pytest
from flask_babel import force_locale

from incubator.audit.details import DETAILS, details, object_label

ROOT = Path(__file__).resolve().parent.parent
STAGE_EVENT = {"from_stage": "applied", "to_stage": "pre_incubation", "startup": "Batik Lurik", "cohort": "Solo 2026"}


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        (
            "en",
            [
                ("From stage", "Applied"),
                ("To stage", "Pre-incubation"),
                ("Startup", "Batik Lurik"),
                ("Cohort", "Solo 2026"),
            ],
        ),
        (
            "id",
            [
                ("Dari tahap", "Mendaftar"),
                ("Ke tahap", "Pra-inkubasi"),
                ("Startup", "Batik Lurik"),
                ("Kohort", "Solo 2026"),
            ],
        ),
    ],
)
def test_details_name_each_key_and_show_codes_as_labels(app, lang, expected):
    with app.test_request_context(), force_locale(lang):
        assert details(STAGE_EVENT) == expected


def test_details_show_lists_booleans_outcomes_and_ids(app):
    data = {
        "roles": ["judge", "mentor"],
        "outcome": "not_selected",
        "imported": True,
        "pairs": [[3, 12], [4, 12]],
        "application_id": 12,
        "from_phase": "open",
        "to_phase": "closed",
    }
    with app.test_request_context(), force_locale("id"):
        assert details(data) == [
            ("Dari fase", "Dibuka untuk penilaian"),
            ("Ke fase", "Ditutup"),
            ("Hasil", "Tidak terpilih"),
            ("Peran", "Juri, Mentor"),
            ("Diimpor", "Ya"),
            ("Pendaftaran", "#12"),
            ("Penugasan", "juri #3, pendaftaran #12; juri #4, pendaftaran #12"),
        ]


def test_a_key_no_longer_known_is_shown_under_a_neutral_label(app):
    with app.test_request_context(), force_locale("en"):
        assert details({"retired_key": "x"}) == [("Other", "x")]


def test_object_is_named_in_the_readers_language(app):
    with app.test_request_context(), force_locale("id"):
        assert (object_label("cohort_startups", 7), object_label("users", 2), object_label(None, None)) == (
            "Startup dalam kohort #7",
            "Pengguna #2",
            "",
        )


def _recorded() -> tuple[set[str], set[str]]:
    """(actions, detail keys) of every `record(...)` call in the code, and of every
    `record_many(action, model, [(id, {detail: ...}), ...])` call (its details are the keys of
    the dictionaries it is given)."""
    actions, keys = set(), set()
    for path in (ROOT / "incubator").rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        constants = {
            target.id: node.value.value
            for node in ast.walk(tree)
            if isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant)
            for target in node.targets
            if isinstance(target, ast.Name)
        }
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "record_many" and node.args:
                actions |= {p.value for p in ast.walk(node.args[0]) if isinstance(p, ast.Constant)}
                for argument in node.args[2:]:
                    for part in ast.walk(argument):
                        if isinstance(part, ast.Dict):
                            keys |= {k.value for k in part.keys if isinstance(k, ast.Constant)}
                continue
            if not (isinstance(node, ast.Call) and getattr(node.func, "id", None) == "record" and node.args):
                continue
            for part in ast.walk(node.args[0]):
                if isinstance(part, ast.Constant) and isinstance(part.value, str):
                    actions.add(part.value)
                elif isinstance(part, ast.Name) and isinstance(constants.get(part.id), str):
                    actions.add(constants[part.id])
            keys |= {k.arg for k in node.keywords if k.arg and k.arg != "actor"}
    return actions, keys


def test_every_recorded_action_and_detail_has_a_label(app):
    from incubator.applications.importing import ImportResult
    from incubator.core.labels import AUDIT_LABELS

    actions, keys = _recorded()
    keys |= set(ImportResult._fields)  # recorded with **result._asdict()
    assert "stage.changed" in actions and "kpi.reminder_sent" in actions
    assert sorted(actions - set(AUDIT_LABELS)) == []
    assert sorted(keys - set(DETAILS)) == []


def test_audit_page_shows_details_in_the_readers_language(app, client, login_as, create_user, create_cohort):
    from incubator.cohorts.models import Cohort
    from incubator.cohorts.services import change_stage
    from incubator.extensions import db as _db
    from incubator.startups.models import Startup

    cohort = create_cohort(name="Solo 2026")
    with app.test_request_context():
        startup = Startup(name="Batik Lurik", city="Surakarta")
        _db.session.add(startup)
        _db.session.flush()
        change_stage(startup, _db.session.get(Cohort, cohort.id), "applied", None, system=True)
        _db.session.commit()
    login_as(client, cohort.director)

    indonesian = client.get("/admin/audit?lang=id").get_data(as_text=True)
    english = client.get("/admin/audit?lang=en").get_data(as_text=True)

    assert "<td>Startup dalam kohort #1</td>" in indonesian
    assert "<td>Ke tahap: Mendaftar; Startup: Batik Lurik; Kohort: Solo 2026</td>" in indonesian
    assert "<td>To stage: Applied; Startup: Batik Lurik; Cohort: Solo 2026</td>" in english
    assert "to_stage" not in indonesian + english and "cohort_startups" not in indonesian + english
