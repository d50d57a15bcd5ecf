"""The routine, every few minutes, as a periodic job of the queue (`flask inspections tick`
runs it by hand): plan each school's week, notify what is due today, prompt and escalate
what the due rules find (a rectification open at the cut-off or past its deadline among
them), summarise the days whose records have locked for the county, send email, digests and
group chat messages, and catch up on background work that was lost (an export that stopped,
one still waiting, an inspection not yet frozen).

Each school's part runs on its own: an error in one school is recorded as that school's failed
job (its changes rolled back) and every other school is still planned, reminded and mailed.

Notifications are written here, never while a page is shown: a GET does not write."""

from .evidence import freeze, jobs
from .extensions import db
from .models.school import School
from .queue import periodic, record_failure
from .services import compliance, day_summaries, evidence, notifications, planning, reminders
from .services.schools import all_schools
from .timeutil import school_today


def run(echo=lambda line: None, now=None):
    for school_id in [school.id for school in all_schools()]:
        try:
            echo(_run_for(db.session.get(School, school_id), now))
            db.session.commit()
        except Exception as exc:  # noqa: BLE001 - one school's error is that school's failed job
            db.session.rollback()
            record_failure("tick", exc, arguments=f"school {school_id}", school_id=school_id)
            echo(f"school {school_id}: failed, {exc!r}")
    released = reminders.release_waiting(now)
    db.session.commit()
    reminders.enqueue(released)
    sent = notifications.send_pending_email(now) + notifications.send_digests(now)
    interrupted = evidence.mark_stale_as_failed()
    db.session.commit()
    jobs.launch_waiting()
    pending = [inspection.id for inspection, _amendment in freeze.unfrozen()]
    jobs.request_freeze(sorted(set(pending)))
    echo(f"{sent} emails sent; {interrupted} interrupted exports; {len(pending)} records to freeze")


def _run_for(school, now):
    first, last = compliance.default_range(school)
    planning.plan(None, school, first, last)
    due = notifications.assignments_due_today(school)
    prompted = reminders.run(school, now)
    summarised = day_summaries.catch_up(school, school_today(school, now))
    return (
        f"{school.name}: {due} due today; {prompted.prompted} prompted, {prompted.late} late; "
        f"{summarised} days summarised"
    )


@periodic("ROUTINE_MINUTES")
def tick():
    run()
