"""No record for a locked day from outside the portal, in every ledger that locks with its day
(generated from the registry), on both databases; and `flask audit verify --ledgers` names a
ledger record the trail never saw created."""

import pytest
import sqlalchemy as sa
from click.testing import CliRunner

from portal.extensions import db
from portal.models.registry import DAY, kinds
from tests.tamper import refused_to_a_database_client

DAY_LOCKED = sorted(kind.model.__tablename__ for kind in kinds() if kind.locks == DAY)


def _copy(table, locks_at):
    """An INSERT of a copy of ``table``'s first record (withdrawn, so that no key of the
    standing records is taken), locking at ``locks_at``."""
    columns = [c.name for c in db.metadata.tables[table].columns if c.name != "id"]
    chosen = ", ".join(
        {"locks_at": f"'{locks_at}'", "withdrawn_at": "locks_at", "withdrawal_reason": "'x'"}.get(c, c) for c in columns
    )
    return f"INSERT INTO {table} ({', '.join(columns)}) SELECT {chosen} FROM {table} ORDER BY id LIMIT 1"


def test_every_ledger_that_locks_with_its_day_is_guarded():
    assert len(DAY_LOCKED) >= 22 and "food_sample" in DAY_LOCKED and "stock_issue" in DAY_LOCKED


def _a_disposal():
    """The demo disposes of nothing: the keeper takes some stock off the shelf today."""
    from decimal import Decimal

    from portal.models import User
    from portal.services import storeroom

    keeper, director = (
        db.session.scalar(sa.select(User).where(User.username == name)) for name in ("xx-keeper", "xx-director")
    )
    batch = next(row.batch for row in storeroom.on_hand(keeper.school_id) if row.on_hand > 0)
    storeroom.dispose(keeper, batch, Decimal("0.1"), "变质，已销毁", director)
    db.session.commit()


@pytest.mark.parametrize("table", DAY_LOCKED)
def test_a_database_client_cannot_add_a_record_to_a_locked_day(app, demo_county, table):
    if table == "stock_disposal":
        _a_disposal()
    before = db.session.scalar(sa.select(sa.func.count()).select_from(db.metadata.tables[table]))
    assert before, f"the demo has no {table} to copy"
    message = refused_to_a_database_client(_copy(table, "2026-01-01 00:00:00.000000"))
    if db.engine.dialect.name == "postgresql":
        assert "cannot be added" in message
    else:  # the guard asks for a function only the portal's connections define
        assert "portal_writer" in message or "cannot be added" in message
    assert db.session.scalar(sa.select(sa.func.count()).select_from(db.metadata.tables[table])) == before


def test_a_database_client_may_still_add_to_an_open_day_on_postgresql(app, demo_county):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("on SQLite only the portal writes its ledgers")
    engine = sa.create_engine(db.engine.url)
    with engine.begin() as connection:
        connection.exec_driver_sql(_copy("food_sample", "2099-01-01 00:00:00+00"))
    engine.dispose()


def test_audit_verify_names_a_ledger_record_written_past_the_portal(app, demo_county):
    runner = CliRunner()
    clean = runner.invoke(app.cli, ["audit", "verify", "--ledgers"])
    assert clean.exit_code == 0 and "ledger records without a creation event: 0" in clean.output
    db.session.execute(sa.text(_copy("stock_issue", "2099-01-01 00:00:00")))  # the portal's connection, raw SQL
    db.session.commit()
    found = runner.invoke(app.cli, ["audit", "verify", "--ledgers"])
    assert found.exit_code == 1 and "ledger records without a creation event: 1" in found.output
    assert "stock_issue" in found.output and "no creation event" in found.output
