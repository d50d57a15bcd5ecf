"""What someone who owns the database could do: write past the triggers. Tests use it to
prove that the audit trail still finds the change."""

from contextlib import contextmanager

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
