"""What someone with a database client could do: write past the triggers (as the tables'
owner could), to prove that the audit trail still finds the change; or try a statement
the triggers must refuse."""

from contextlib import contextmanager

import pytest
import sqlalchemy as sa

from portal.extensions import db


@contextmanager
def past_the_triggers():
    """A connection whose writes no trigger refuses, as the tables' owner could arrange:
    PostgreSQL's replica mode; on SQLite the triggers dropped and put back after."""
    db.session.commit()
    with db.engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            connection.exec_driver_sql("SET LOCAL session_replication_role = replica")
            yield connection
            return
        triggers = connection.exec_driver_sql("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'").all()
        for name, _sql in triggers:
            connection.exec_driver_sql(f'DROP TRIGGER "{name}"')
        yield connection
        for _name, sql in triggers:
            connection.exec_driver_sql(sql)


def refused_by_the_database(statement):
    """Runs ``statement`` on a connection of its own, as someone with a database client
    would, and returns the database's refusal. The test's session commits first: on SQLite
    a write transaction it kept open would make the statement wait out the busy timeout and
    fail for the lock, which proves nothing about the triggers, so that counts as no refusal."""
    db.session.commit()
    with pytest.raises(sa.exc.DBAPIError) as refusal:
        with db.engine.begin() as connection:
            connection.exec_driver_sql(statement)
    message = str(refusal.value.orig)
    assert "database is locked" not in message, f"{statement}: refused for a lock, not by a rule"
    return message


def refused_to_a_database_client(statement):
    """Runs ``statement`` as another program connected to the database would (not through
    the portal's engine, so without what the portal's connections say of themselves) and
    returns the database's refusal."""
    db.session.commit()
    engine = sa.create_engine(db.engine.url)
    try:
        with pytest.raises(sa.exc.DBAPIError) as refusal:
            with engine.begin() as connection:
                connection.exec_driver_sql(statement)
    finally:
        engine.dispose()
    message = str(refusal.value.orig)
    assert "database is locked" not in message, f"{statement}: refused for a lock, not by a rule"
    return message
