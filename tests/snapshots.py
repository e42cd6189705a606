"""Build an expensive test world once per test process and put it back before each test.

A world (the access matrix's users, cohort, rounds and applications; the demo programme) takes
from half a second to several seconds to build through the services, and hundreds of tests
start from the same one. `kept_world(key, build)` builds it the first time, then keeps what is
in every table and every file under UPLOAD_FOLDER; later calls put those rows and files back
(the `app` fixture has emptied the tables after the previous test) and return what `build`
returned the first time. Rows go back with their ids, so the ids a world hands out stay true;
on PostgreSQL each id sequence is moved past the restored rows.
"""

from pathlib import Path

from sqlalchemy import insert, select, text

from incubator.extensions import db

_KEPT: dict[str, "_Snapshot"] = {}


class _Snapshot:
    def __init__(self, app, value):
        self.value = value
        with app.app_context():
            self.rows = {
                table.name: [dict(row) for row in db.session.execute(select(table)).mappings()]
                for table in db.metadata.sorted_tables
            }
            self.rows = {name: rows for name, rows in self.rows.items() if rows}
        folder = Path(app.config["UPLOAD_FOLDER"])
        self.files = {path: path.read_bytes() for path in folder.rglob("*") if path.is_file()}

    def restore(self, app) -> None:
        with app.app_context():
            for table in db.metadata.sorted_tables:
                rows = self.rows.get(table.name)
                if not rows:
                    continue
                db.session.execute(insert(table), rows)
                serial = table.autoincrement_column
                if db.engine.dialect.name == "postgresql" and serial is not None:
                    db.session.execute(
                        text("SELECT setval(pg_get_serial_sequence(:table, :column), :top)"),
                        {"table": table.name, "column": serial.name, "top": max(row[serial.name] for row in rows)},
                    )
            db.session.commit()
            db.session.remove()
        for path, data in self.files.items():
            if not path.exists() or path.read_bytes() != data:
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_bytes(data)


def kept_world(app, key: str, build):
    """What `build()` returned, with the database and uploads as `build` left them: built on the
    first call in this process, put back from the kept copy on every later one."""
    snapshot = _KEPT.get(key)
    if snapshot is None:
        value = build()
        _KEPT[key] = _Snapshot(app, value)
        return value
    snapshot.restore(app)
    return snapshot.value


def demo_world(app) -> None:
    """The demo programme (`flask seed-demo`), seeded once per test process."""

    def seed():
        result = app.test_cli_runner().invoke(args=["seed-demo"])
        assert result.exit_code == 0, result.output

    kept_world(app, "demo", seed)
