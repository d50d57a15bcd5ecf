"""Many schools quickly, for the county benchmark: the database's schools (seeded once through
the services) are copied N times inside PostgreSQL, one INSERT ... SELECT per table and copy.

The copy is generic, read from the models' metadata: every integer id is shifted by a
per-table offset, every foreign key by its target's offset, and text columns that are
unique without a school in them (usernames) get a suffix. Triggers and foreign-key checks
are off while copying (the copies' audit chains keep the original's hashes: they are
not meant to verify) (replica mode: the benchmark's superuser may; the portal's own role
may not), because the rows copied are already valid and locked records must be copied too.
"""

import sqlalchemy as sa

from portal.extensions import db
from portal.models.tenancy import CountyWide

# Not a school's: the password throttle, the audit chains' heads, failed jobs, the routine's
# runs, and the county's own tables (its subsidy rates), which every school shares.
SKIPPED = {"password_failure", "audit_chain_head", "job_failure", "routine_run"} | {
    mapper.local_table.name for mapper in db.Model.registry.mappers if issubclass(mapper.class_, CountyWide)
}


def _unique_text_columns(table):
    """Text columns unique on their own (usernames): other unique groups hold a school or
    a shifted id."""
    groups = [constraint.columns for constraint in table.constraints if isinstance(constraint, sa.UniqueConstraint)]
    groups += [index.columns for index in table.indexes if index.unique]
    found = set()
    for columns in groups:
        if all(isinstance(column.type, sa.String) for column in columns):
            found |= {column.name for column in columns}
    if table.name == "school":
        found.add("name")
    return found


def _has_integer_id(table):
    return "id" in table.c and isinstance(table.c.id.type, sa.Integer)


def offsets(connection):
    """Per table with an integer id: one more than its largest id now (the originals)."""
    return {
        table.name: (connection.scalar(sa.select(sa.func.coalesce(sa.func.max(table.c.id), 0))) or 0) + 1
        for table in db.metadata.sorted_tables
        if _has_integer_id(table) and table.name not in SKIPPED
    }


def _copy_statement(table, copy, shifts):
    unique_text = _unique_text_columns(table)
    values = []
    for column in table.c:
        foreign = next(iter(column.foreign_keys), None)
        if column.name == "id" and table.name in shifts:
            values.append(column + copy * shifts[table.name])
        elif foreign is not None and foreign.column.table.name in shifts:
            values.append(column + copy * shifts[foreign.column.table.name])
        elif table.name == "audit_event" and column.name == "chain":  # each school's own chain
            values.append(sa.literal("school:") + sa.cast(table.c.school_id + copy * shifts["school"], sa.String))
        elif column.name in unique_text:
            values.append(column + f"~{copy}")
        else:
            values.append(column)
    if table.name == "audit_event":
        originals = sa.and_(table.c.id < shifts[table.name], table.c.school_id.is_not(None))
    elif table.name in shifts:
        originals = table.c.id < shifts[table.name]
    else:  # a link table: its rows whose first parent is an original
        link = next(column for column in table.c if column.foreign_keys)
        originals = link < shifts[next(iter(link.foreign_keys)).column.table.name]
    return table.insert().from_select(list(table.c.keys()), sa.select(*values).where(originals))


def copy_schools(engine, shifts, copies, reserved):
    """Copies number ``copies`` (1, 2, ...) of every original row, in one transaction each.
    New rows made between batches take ids above ``reserved`` copies, out of their way."""
    tables = [table for table in db.metadata.sorted_tables if table.name not in SKIPPED]
    for copy in copies:
        with engine.begin() as connection:
            connection.exec_driver_sql("SET LOCAL session_replication_role = replica")
            for table in tables:
                connection.execute(_copy_statement(table, copy, shifts))
    with engine.begin() as connection:
        for table in tables:
            if table.name in shifts:
                connection.exec_driver_sql(
                    f"SELECT setval(pg_get_serial_sequence('\"{table.name}\"', 'id'), "  # noqa: S608 - names from the models' metadata
                    f'greatest((SELECT max(id) FROM "{table.name}"), {shifts[table.name] * (reserved + 1)}))'
                )
        connection.exec_driver_sql("ANALYZE")
