"""flask commands. They call services, never raw SQL."""

import shutil

import click
import sqlalchemy as sa
from flask.cli import AppGroup

from . import queue, routine
from .database import reading
from .errors import DomainError
from .evidence import bundle, freeze, jobs, verify
from .evidence import storage as evidence_storage
from .evidence.sections import ALL_KEYS
from .extensions import db
from .models.access import Role
from .models.evidence import ExportStatus
from .models.school import School
from .models.user import User
from .services import audit, audit_coverage, day_summaries, evidence, planning, users

users_cli = AppGroup("users", help="Create users, set passwords, deactivate.")


def _fail(exc):
    raise click.ClickException(str(exc.message)) from exc


def _user_or_fail(username):
    user = users.find_by_username(username)
    if user is None:
        raise click.ClickException(f"no user named {username!r}")
    return user


@users_cli.command("create")
@click.option("--username", required=True)
@click.option("--name", "display_name", required=True, help="The person's name, as shown in the portal.")
@click.option(
    "--role",
    "roles",
    multiple=True,
    required=True,
    type=click.Choice([role.value for role in Role]),
    help="Repeat for several roles.",
)
@click.option("--school", "school_name", help="The school's name; leave out for county users.")
@click.password_option(help="Asked for when not given.")
def create_user(username, display_name, roles, school_name, password):
    """Create a user, for example the first county admin:

    flask users create --username admin --name 张三 --role county_admin
    """
    school = None
    if school_name:
        school = db.session.scalar(sa.select(School).where(School.name == school_name))
        if school is None:
            raise click.ClickException(f"no school named {school_name!r}")
    try:
        user = users.create_user(
            None,
            username=username,
            display_name=display_name,
            password=password,
            roles=[Role(role) for role in roles],
            school=school,
        )
    except DomainError as exc:
        _fail(exc)
    db.session.commit()
    click.echo(f"created {user.username} ({', '.join(sorted(r.value for r in user.roles))})")


@users_cli.command("set-password")
@click.argument("username")
@click.password_option(help="Asked for when not given.")
def set_password(username, password):
    """Set a user's password; every session of that user ends."""
    user = _user_or_fail(username)
    try:
        users.set_password(None, user, password)
    except DomainError as exc:
        _fail(exc)
    db.session.commit()
    click.echo(f"password set for {user.username}")


@users_cli.command("deactivate")
@click.argument("username")
def deactivate(username):
    """Deactivate a user; every session of that user ends."""
    user = _user_or_fail(username)
    users.deactivate(None, user)
    db.session.commit()
    click.echo(f"deactivated {user.username}")


audit_cli = AppGroup("audit", help="The audit trail.")


@audit_cli.command("verify")
@click.option("--head", "heads", multiple=True, help="A chain head noted down before: CHAIN:SEQ:HASH.")
@click.option("--bundle", "bundles", multiple=True, type=click.Path(exists=True), help="An evidence bundle PDF.")
@click.option("--ledgers", is_flag=True, help="Also list ledger records that have no creation event in the trail.")
def verify_audit(heads, bundles, ledgers):
    """Walk every hash chain with the audit key; name the first event that does not match.
    With --head or --bundle, also prove that each chain still holds the heads written down
    (in the bundles' manifests) when they were made. With --ledgers, also name every ledger
    record the trail never saw created (written past the portal)."""
    anchors = []
    for text in heads:
        anchor = audit.Anchor.parse(text)
        if anchor is None:
            raise click.ClickException(f"not a chain head (CHAIN:SEQ:HASH): {text}")
        anchors.append(anchor)
    for path in bundles:
        found = bundle.anchors_in(bundle.read_manifest(path))
        if not found:
            raise click.ClickException(f"{path}: no audit chain head in its manifest")
        anchors += found
    broken = 0
    with reading():  # one snapshot: a portal that keeps writing never looks broken
        for chain in sorted(set(audit.chains()) | {anchor.chain for anchor in anchors}):
            problem = audit.verify_chain(chain, anchors)
            if problem is None:
                click.echo(f"{chain}: intact")
                continue
            broken += 1
            event, reason = problem
            where = (
                f"event {event.id} (#{event.seq}, {event.action}, {event.occurred_at.isoformat()})" if event else "head"
            )
            click.echo(f"{chain}: BROKEN at {where}: {reason}", err=True)
        if ledgers:
            broken += _report_unrecorded()
    if broken:
        raise SystemExit(1)


def _report_unrecorded():
    found = audit_coverage.unrecorded()
    for record in found:
        click.echo(f"{record.ledger} {record.record_id} (school {record.school_id}): no creation event", err=True)
    click.echo(f"ledger records without a creation event: {len(found)}")
    return len(found)


inspections_cli = AppGroup("inspections", help="Plan assignments; notify due and overdue work.")


def _schools(school_name):
    query = sa.select(School).order_by(School.name)
    if school_name:
        query = query.where(School.name == school_name)
    schools = db.session.scalars(query).all()
    if school_name and not schools:
        raise click.ClickException(f"no school named {school_name!r}")
    return schools


@inspections_cli.command("plan")
@click.option("--from", "first", type=click.DateTime(["%Y-%m-%d"]), required=True)
@click.option("--to", "last", type=click.DateTime(["%Y-%m-%d"]), required=True)
@click.option("--school", "school_name", help="One school; all schools when left out.")
def plan_assignments(first, last, school_name):
    """Plan the assignments of a date range (idempotent)."""
    for school in _schools(school_name):
        try:
            created, removed = planning.plan(None, school, first.date(), last.date())
        except DomainError as exc:
            _fail(exc)
        db.session.commit()
        click.echo(f"{school.name}: {created} planned, {removed} removed")


@inspections_cli.command("tick")
def tick():
    """The routine the queue's worker runs every five minutes, run now: plans this week,
    notifies what is due and overdue, sends email, catches up on exports and freezing."""
    routine.run(echo=click.echo)


@inspections_cli.command("summarise")
def summarise_days():
    """Summarise every school's days whose records have locked, for the county's pages (the
    routine does it too, a week of days per school at a time): a county's first summary."""
    days = day_summaries.summarise_all(echo=click.echo)
    click.echo(f"{days} days summarised")


evidence_cli = AppGroup("evidence", help="Evidence for audits: export, verify, freeze.")


@evidence_cli.command("export")
@click.option("--school", "school_name", required=True)
@click.option("--from", "first", type=click.DateTime(["%Y-%m-%d"]), required=True)
@click.option("--to", "last", type=click.DateTime(["%Y-%m-%d"]), required=True)
@click.option("--out", "out_path", type=click.Path(dir_okay=False, writable=True), required=True)
@click.option("--format", "export_format", type=click.Choice(["pdf", "xlsx"]), default="pdf")
@click.option("--sections", default=",".join(ALL_KEYS), show_default=True, help="Comma-separated.")
def export_evidence(school_name, first, last, out_path, export_format, sections):
    """Make a period's evidence here, with a progress bar; it goes into the export log."""
    [school] = _schools(school_name)
    try:
        export = evidence.request_export(None, school, first.date(), last.date(), sections.split(","), export_format)
    except DomainError as exc:
        _fail(exc)
    db.session.commit()
    with click.progressbar(length=100, label=f"export #{export.id}") as bar:
        shown = [0]

        def advance(done, total):
            percent = int(100 * done / total) if total else 100
            bar.update(percent - shown[0])
            shown[0] = percent

        export = jobs.run(export.id, progress_callback=advance)
    if export.status is not ExportStatus.DONE:
        raise click.ClickException(export.error or "export failed")
    shutil.copyfile(evidence_storage.path_of(export.storage_key), out_path)
    click.echo(f"{out_path}: {export.size} bytes, {export.pages or '-'} pages, sha256 {export.sha256}")


@evidence_cli.command("freeze")
@click.argument("inspection_ids", nargs=-1, type=int)
def freeze_inspections(inspection_ids):
    """Freeze signed inspections that have no PDF yet (all of them when no id is given)."""
    pending = freeze.unfrozen(inspection_ids=list(inspection_ids) or None)
    freeze.freeze_all(pending)
    click.echo(f"{len(pending)} frozen")


@evidence_cli.command("verify")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
def verify_evidence(path):
    """Is the file an unaltered export or frozen inspection of this portal? Exit 1 if not."""
    with open(path, "rb") as head:
        if not verify.looks_like_pdf(head.read(5)) and not path.endswith(".xlsx"):
            raise click.ClickException("not a PDF")
    result = verify.verify_file(path)
    if result.kind == "export":
        export = result.export
        who = export.requested_by.display_name if export.requested_by else "command line"
        click.echo(
            f"MATCHES export #{export.id}: {export.school.name}, {export.period_first} to {export.period_last}, "
            f"made {export.finished_at:%Y-%m-%d %H:%M} UTC by {who}"
        )
        for part in result.parts:
            state = "ok" if part.ok else "DOES NOT MATCH"
            amendment = f" amendment #{part.amendment_id}" if part.amendment_id else ""
            click.echo(f"  inspection #{part.inspection_id}{amendment}: {state}")
    elif result.kind == "inspection":
        inspection = result.evidence.inspection
        click.echo(f"MATCHES frozen inspection #{inspection.id}: {inspection.school.name}, {inspection.inspected_on}")
    else:
        claimed = f" (it says it is export #{result.claimed_export})" if result.claimed_export else ""
        click.echo(f"DOES NOT MATCH any file of this portal{claimed}; sha256 {result.sha256}", err=True)
    if not result.matches:
        raise SystemExit(1)


@click.command("seed-demo")
@click.option("--if-empty", is_flag=True, help="Only when the database has no users yet.")
def seed_demo(if_empty):
    """Load the demo county: two schools, every role, a semester of records. Idempotent."""
    from . import demo  # the demo's code is only read when demo data is asked for

    if if_empty and db.session.scalar(sa.select(sa.func.count()).select_from(User)):
        click.echo("database not empty: demo data not loaded")
        return
    created = demo.seed()
    db.session.commit()
    click.echo("demo data loaded" if created else "demo data already present")
    click.echo(demo.accounts_text())


queue_cli = AppGroup("queue", help="The background task queue.")


@queue_cli.command("worker")
@click.option("--workers", type=int, help="Jobs run at once (QUEUE_WORKERS by default).")
def queue_worker(workers):
    """Run the queue's worker: evidence, exports and the routine every five minutes.
    Keep it running beside the web server (a systemd unit: see the README)."""
    queue.run_worker(workers)


def init_app(app):
    app.cli.add_command(queue_cli)
    app.cli.add_command(users_cli)
    app.cli.add_command(audit_cli)
    app.cli.add_command(inspections_cli)
    app.cli.add_command(evidence_cli)
    app.cli.add_command(seed_demo)
