"""Morning checks (晨检) of the canteen workers: fever, symptoms, a valid health certificate;
unfit means off duty."""

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ..due import Gap, at
from ..errors import DomainError
from ..extensions import db
from ..models.canteen import SYMPTOMS, MorningCheck
from ..models.certificate import Certificate
from . import certificates, records
from .canteen import refuse_future_day, require_member, settings_of


def missing_certificates(school_id, worker_ids, day):
    """For each worker: the required kinds (健康证) they hold no certificate of valid on ``day``."""
    required = certificates.required_kinds(school_id)
    held = {
        (holder_id, kind_id)
        for holder_id, kind_id in db.session.execute(
            sa.select(Certificate.holder_id, Certificate.kind_id).where(
                Certificate.school_id == school_id,
                Certificate.holder_id.in_(worker_ids),
                Certificate.issued_on <= day,
                sa.or_(Certificate.expires_on.is_(None), Certificate.expires_on >= day),
            )
        )
    }
    return {worker_id: [kind for kind in required if (worker_id, kind.id) not in held] for worker_id in worker_ids}


def check_morning(check, now=None):
    refuse_future_day(check, now)
    worker = check.worker
    if worker is None or worker.school_id != check.school_id or not worker.canteen_worker:
        raise DomainError(_l("Only canteen workers on the roster have a morning check."), field="worker")
    require_member(check, check.checked_by, "checked_by")
    settings = settings_of(check)
    if check.checked_by == worker and not settings.allow_self_morning_check:
        raise DomainError(
            _l("Someone else checks %(worker)s: a worker does not check themselves.", worker=worker.display_name),
            field="worker",
        )
    symptoms = check.symptom_keys
    check.symptoms = " ".join(symptoms)
    if check.temperature_c is None or not 34 <= check.temperature_c <= 43:
        raise DomainError(_l("Enter the temperature in ℃, between 34 and 43."), field="temperature_c")
    if check.temperature_c >= settings.fever_from_celsius and "fever" not in symptoms:
        symptoms.append("fever")
        check.symptoms = " ".join(symptoms)
    if symptoms and check.fit:
        names = "、".join(str(SYMPTOMS[key]) for key in symptoms)
        raise DomainError(_l("A worker with %(symptoms)s is not fit for work.", symptoms=names), field="fit")
    if check.on_duty and not check.fit:
        raise DomainError(_l("A worker who is not fit cannot be on duty."), field="on_duty")
    if check.on_duty:
        missing = missing_certificates(check.school_id, [worker.id], check.day)[worker.id]
        if missing:
            raise DomainError(
                _l(
                    "%(worker)s has no valid %(kind)s for this day and cannot be on duty.",
                    worker=worker.display_name,
                    kind="、".join(kind.name for kind in missing),
                ),
                field="on_duty",
            )
    if not check.fit and not (check.action_taken or "").strip():
        raise DomainError(_l("Say what was done (sent home, to a doctor, ...)."), field="action_taken")


def save_morning_check(actor, check, before, now=None):
    records.assign_school(actor, check)
    if check.checked_by is None and check.checked_by_id is None:
        check.checked_by = actor
    check_morning(check, now)
    clash = db.session.scalar(
        sa.select(MorningCheck.id).where(
            MorningCheck.school_id == check.school_id,
            MorningCheck.day == check.day,
            MorningCheck.worker_id == check.worker.id,
            MorningCheck.id != check.id,
            MorningCheck.standing(),
        )
    )
    if clash is not None:
        raise DomainError(_l("This worker was already checked that day."), field="worker")
    return records.save_record(actor, check, before, now)


def find_morning_checks(context, choice):
    workers = context.canteen_workers
    if not workers:
        return []
    checked = set(
        db.session.execute(
            sa.select(MorningCheck.day, MorningCheck.worker_id).where(
                MorningCheck.school_id == context.school.id,
                MorningCheck.day.between(context.days[0], context.days[-1]),
                MorningCheck.standing(),
            )
        ).all()
    )
    gaps = []
    for day in context.canteen_days:
        unchecked = [worker.display_name for worker in workers if (day, worker.id) not in checked]
        if unchecked:
            gaps.append(
                Gap(
                    day.isoformat(),
                    at(day, choice.due_time, context.school),
                    _(
                        "%(day)s morning check not done yet: %(people)s",
                        day=day.isoformat(),
                        people="、".join(unchecked),
                    ),
                    ("canteen.record_morning_checks", {"day": day.isoformat()}),
                )
            )
    return gaps
