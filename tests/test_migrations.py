"""Migrations: upgrade from empty gives exactly the models; downgrade to base works."""

import uuid

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade

from portal import create_app
from portal.extensions import db
from tests.conftest import KEYS, TEST_DATABASE_URL


@pytest.fixture
def empty_database_url(tmp_path):
    if not TEST_DATABASE_URL:
        yield "sqlite:///" + str(tmp_path / "empty.sqlite3")
        return
    name = f"migration_{uuid.uuid4().hex[:8]}"
    admin = sa.create_engine(TEST_DATABASE_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
    yield TEST_DATABASE_URL.rsplit("/", 1)[0] + "/" + name
    with admin.connect() as connection:
        connection.exec_driver_sql(f'DROP DATABASE "{name}" WITH (FORCE)')
    admin.dispose()


def _not_a_search_index(name, type_, _parent):
    """PostgreSQL's trigram indexes live in the migrations only (the models cannot declare
    an index for one database); tests/test_admin_lists.py checks them."""
    return not (type_ == "index" and name.startswith("trgm_"))


def test_upgrade_from_empty_equals_the_models_and_downgrade_to_base_works(empty_database_url):
    app = create_app(KEYS | {"DATABASE_URL": empty_database_url})
    with app.app_context():
        upgrade()
        with db.engine.connect() as connection:
            context = MigrationContext.configure(
                connection, opts={"compare_type": True, "include_name": _not_a_search_index}
            )
            differences = compare_metadata(context, db.metadata)
        assert differences == []

        downgrade(revision="base")
        remaining = set(sa.inspect(db.engine).get_table_names()) - {"alembic_version"}
        assert remaining == set()
        db.engine.dispose()


def test_upgrading_a_database_with_data_keeps_every_row(empty_database_url):
    """0001 -> head on a database holding a school's records. On SQLite the batch
    operations recreate tables; with foreign keys on, that would cascade-delete the
    inspection items (migrations/env.py switches them off around the migration)."""
    app = create_app(KEYS | {"DATABASE_URL": empty_database_url})
    with app.app_context():
        upgrade(revision="0001_foundation")
        now = "2026-09-01 08:00:00"
        with db.engine.begin() as connection:
            insert(
                connection, "school", id=1, name="第一中学", county="测试县", timezone="Asia/Shanghai", created_at=now
            )
            insert(connection, "school_settings", school_id=1, certificate_warning_days=30)
            insert(
                connection,
                "user",
                id=1,
                username="director",
                display_name="陈主任",
                school_id=1,
                active=True,
                password_hash="x",
                session_token="token",
                created_at=now,
            )
            insert(
                connection,
                "inspection",
                id=1,
                inspector_id=1,
                kind="director_daily",
                inspected_on="2026-09-01",
                area="厨房",
                status="draft",
                created_at=now,
                updated_at=now,
                version=1,
                school_id=1,
            )
            for n in range(1, 31):
                insert(
                    connection,
                    "inspection_item",
                    id=n,
                    inspection_id=1,
                    position=n,
                    section="贮存",
                    text="检查项",
                    result="pass",
                    note="",
                    school_id=1,
                )
            insert(
                connection, "finding", id=1, inspection_id=1, description="冰箱温度偏高", created_at=now, school_id=1
            )

        upgrade()

        with db.engine.connect() as connection:
            assert connection.execute(sa.text("SELECT count(*), min(version) FROM inspection_item")).one() == (30, 1)
            assert connection.execute(sa.text("SELECT count(*) FROM finding")).scalar() == 1
            cutoff, lock_days = connection.execute(
                sa.text("SELECT rectification_cutoff, ledger_lock_days FROM school_settings")
            ).one()
            assert str(cutoff).startswith("22:00") and lock_days == 1
        db.engine.dispose()


def insert(connection, table, **values):
    """A row as the old schema knew it (raw SQL: today's models describe the new one)."""
    columns = ", ".join(f'"{column}"' for column in values)
    placeholders = ", ".join(f":{column}" for column in values)
    connection.execute(sa.text(f'INSERT INTO "{table}" ({columns}) VALUES ({placeholders})'), values)


def test_0007_stamps_the_ledgers_there_are_and_names_task_sources_generically(empty_database_url):
    """Records written before the ledgers locked get the lock and retention they would have
    been given; a task from an accompanied meal keeps its source; a sample its own keeper
    "reviewed" loses the reviewer; settings below a national floor are raised to it; the
    school gets the default ingredient lists."""
    app = create_app(KEYS | {"DATABASE_URL": empty_database_url})
    with app.app_context():
        upgrade(revision="0006_security")
        now = "2026-09-01 08:00:00"
        with db.engine.begin() as connection:
            insert(
                connection, "school", id=1, name="第一中学", county="测试县", timezone="Asia/Shanghai", created_at=now
            )
            insert(
                connection,
                "school_settings",
                school_id=1,
                certificate_warning_days=30,
                rectification_cutoff="22:00:00",
                rectification_grace_hours=2,
                sample_min_grams=100,
            )
            insert(
                connection,
                "user",
                id=1,
                username="director",
                display_name="陈主任",
                school_id=1,
                active=True,
                password_hash="x",
                session_token="token",
                created_at=now,
                canteen_worker=False,
                food_safety_manager=False,
                password_reset_required=False,
            )
            insert(
                connection,
                "menu_dish",
                id=1,
                day="2026-09-01",
                meal="lunch",
                name="红烧肉",
                created_at=now,
                school_id=1,
            )
            insert(
                connection,
                "food_sample",
                id=1,
                dish_id=1,
                grams=130,
                container_label="A1",
                retained_at="2026-09-01 03:50:00",
                retained_by_id=1,
                reviewed_by_id=1,
                school_id=1,
            )
            insert(
                connection,
                "accompanied_meal",
                id=1,
                day="2026-09-01",
                meal="lunch",
                leader_id=1,
                dishes_tasted="红烧肉",
                taste="good",
                temperature="poor",
                hygiene="good",
                quantity="good",
                problems="汤凉",
                recorded_at=now,
                school_id=1,
            )
            insert(
                connection,
                "rectification_task",
                id=1,
                accompanied_meal_id=1,
                description="汤凉",
                responsible_id=1,
                found_at=now,
                deadline="2026-09-01 14:00:00",
                original_deadline="2026-09-01 14:00:00",
                extension_count=0,
                status="open",
                rectification_note="",
                sent_back_count=0,
                version=1,
                school_id=1,
            )

        upgrade()

        with db.engine.connect() as connection:

            def one(sql):
                return connection.execute(sa.text(sql)).one()

            locks_at, keep_until = one("SELECT locks_at, keep_until FROM menu_dish WHERE id = 1")
            # 22:00 in Beijing the day after, in UTC; kept two years
            assert str(locks_at).startswith("2026-09-02 14:00") and str(keep_until) == "2028-09-01"
            assert one("SELECT locks_at, keep_until FROM food_sample WHERE id = 1") == (locks_at, keep_until)
            assert one("SELECT reviewed_by_id, reviewed_at FROM food_sample WHERE id = 1") == (None, None)
            assert one("SELECT ledger, ledger_record_id FROM rectification_task WHERE id = 1") == (
                "accompanied_meals",
                1,
            )
            assert one("SELECT sample_min_grams, ledger_keep_years FROM school_settings") == (125, 2)
            kinds = dict(connection.execute(sa.text("SELECT kind, count(*) FROM ingredient_rule GROUP BY kind")).all())
            assert kinds["bulk"] >= 5 and kinds["banned"] >= 7 and kinds["quarantine"] >= 1
            # The locked record is locked in the database from now on.
            with pytest.raises(sa.exc.DatabaseError):
                connection.execute(sa.text("UPDATE menu_dish SET name = '白切鸡' WHERE id = 1"))
        db.engine.dispose()
