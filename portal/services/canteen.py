"""The canteen's daily ledgers: every record is checked against the school's settings
before it is kept, and every refusal says what the minimum is."""

from datetime import datetime, timedelta

import sqlalchemy as sa
from flask_babel import format_datetime
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import selectinload

from ..due import Gap, at
from ..errors import DomainError
from ..extensions import db
from ..i18n import duration_text
from ..models.canteen import DisinfectionMethod, FoodSample, MenuDish, TablewareDisinfection
from ..models.school import school_of
from ..timeutil import utcnow, zone
from . import audit, files, ingredients, ledgers, records
from .calendar import load as load_calendar


def settings_of(record):
    return school_of(record).settings


def refuse_future_day(record, now):
    if record.day is not None and record.day > (now or utcnow()).astimezone(zone(school_of(record))).date():
        raise DomainError(_l("The date is in the future."), field="day")


def require_member(record, user, field):
    if user is None or user.school_id != record.school_id or not user.is_active:
        raise DomainError(_l("Choose an active member of this school."), field=field)


def require_fixer(record, finding, responsible):
    """A problem found in a record needs who fixes it: an active member of its school."""
    if responsible is None:
        raise DomainError(_l("Choose who fixes: %(finding)s", finding=finding), field="responsible")
    require_member(record, responsible, "responsible")


def start_record(actor, record, person, now=None):
    """What every ledger record starts with: the actor's school, ``person`` (who did it)
    defaulting to the actor, and a day that is not in the future."""
    records.assign_school(actor, record)
    if getattr(record, person) is None and getattr(record, f"{person}_id") is None:
        setattr(record, person, actor)
    refuse_future_day(record, now)


def refuse_unserved_meal(record):
    """A meal the canteen does not serve, or a day it is closed, has no ledger."""
    if record.meal not in settings_of(record).meals():
        raise DomainError(_l("The canteen does not serve this meal."), field="meal")
    if not load_calendar(record.school_id, record.day, record.day).is_canteen_day(record.day):
        raise DomainError(_l("The canteen is closed on this day."), field="day")


# --- menu ---------------------------------------------------------------------------------


def save_dish(actor, dish, before, now=None):
    records.assign_school(actor, dish)
    dish.name = (dish.name or "").strip()
    if not dish.name:
        raise DomainError(_l("Name the dish."), field="name")
    ingredients.refuse_banned(dish.school_id, dish.name, "name")
    refuse_unserved_meal(dish)
    with db.session.no_autoflush:
        twin = db.session.scalar(
            sa.select(MenuDish.id).where(
                MenuDish.school_id == dish.school_id,
                MenuDish.day == dish.day,
                MenuDish.meal == dish.meal,
                MenuDish.name == dish.name,
                MenuDish.withdrawn_at.is_(None),
                MenuDish.id != (dish.id or 0),
            )
        )
    if twin is not None:
        raise DomainError(_l("%(name)s is already on this meal's menu.", name=dish.name), field="name")
    if before is not None and dish.standing_samples and audit.difference(before, audit.snapshot(dish))[0]:
        raise DomainError(_l("This dish has a food sample; it can no longer be changed."))
    return records.save_record(actor, dish, before, now)


def dishes_of(school_id, day):
    """The day's menu: its standing dishes, meal by meal."""
    return db.session.scalars(
        sa.select(MenuDish)
        .where(MenuDish.school_id == school_id, MenuDish.day == day, MenuDish.standing())
        .order_by(MenuDish.meal, MenuDish.id)
    ).all()


def delete_dish(actor, dish):
    if dish.standing_samples:
        raise DomainError(_l("This dish has a food sample; it can no longer be changed."))
    records.delete_record(actor, dish)


# --- food samples -------------------------------------------------------------------------


def check_sample(sample, now=None):
    now = now or utcnow()
    settings = settings_of(sample)
    refuse_unserved_meal(sample.dish)
    if sample.grams is None or sample.grams < settings.sample_min_grams:
        raise DomainError(
            _l("A food sample weighs at least %(grams)d g.", grams=settings.sample_min_grams), field="grams"
        )
    if sample.retained_at is None or sample.retained_at > now:
        raise DomainError(_l("The time is in the future."), field="retained_at")
    if sample.retained_at.astimezone(zone(school_of(sample))).date() != sample.dish.day:
        raise DomainError(_l("A sample is kept on the day of its meal."), field="retained_at")
    require_member(sample, sample.retained_by, "retained_by")
    if sample.reviewed_by is not None:
        require_member(sample, sample.reviewed_by, "reviewed_by")
        if sample.reviewed_by == sample.retained_by:
            raise DomainError(_l("A food sample is reviewed by someone other than who kept it."), field="reviewed_by")
        sample.reviewed_at = sample.reviewed_at or now
    if sample.discarded_at is not None:
        check_discard(sample, sample.discarded_at, now)


def check_discard(sample, discarded_at, now=None):
    keep = timedelta(hours=settings_of(sample).sample_keep_hours)
    earliest = sample.retained_at + keep
    if discarded_at > (now or utcnow()):
        raise DomainError(_l("The time is in the future."), field="discarded_at")
    if discarded_at < earliest:
        raise DomainError(
            _l(
                "A food sample is kept at least %(hours)d hours: not before %(earliest)s.",
                hours=settings_of(sample).sample_keep_hours,
                earliest=format_datetime(earliest, "yyyy-MM-dd HH:mm"),
            ),
            field="discarded_at",
        )


def save_sample(actor, sample, before, *, photo_upload=None, now=None):
    records.assign_school(actor, sample)
    if sample.discarded_at is not None and sample.discarded_by is None:
        sample.discarded_by = actor
    check_sample(sample, now)
    if files.is_present(photo_upload):
        sample.photo = files.store_upload(actor, sample.school_id, photo_upload, files.PHOTO)
    return records.save_record(actor, sample, before, now)


def record_sample(actor, dish, grams, container_label="", *, retained_at=None, reviewed_by=None, now=None):
    """The canteen's quick entry: a sample of one dish, kept now by the person entering it."""
    if dish.standing_samples:
        raise DomainError(_l("This dish already has a food sample."), field="grams")
    now = now or utcnow()
    sample = FoodSample(
        school_id=dish.school_id,
        dish=dish,
        grams=grams,
        container_label=(container_label or "").strip(),
        retained_at=retained_at or now,
        retained_by=actor,
        reviewed_by=reviewed_by,
    )
    return save_sample(actor, sample, None, now=now) and sample


def review_sample(actor, sample, now=None):
    """审核: someone other than the keeper checks the sample (weight, seal, label) on its day."""
    if sample.reviewed_by_id is not None:
        raise DomainError(_l("This food sample was already reviewed."))
    if actor.id == sample.retained_by_id:
        raise DomainError(_l("A food sample is reviewed by someone other than who kept it."))
    require_member(sample, actor, "reviewed_by")
    ledgers.refuse_if_locked(sample, now)
    sample.reviewed_by_id, sample.reviewed_at = actor.id, now or utcnow()
    db.session.flush()
    audit.record(actor, "food_sample.reviewed", sample, after={"reviewed_at": sample.reviewed_at})
    return sample


def discard_sample(actor, sample, discarded_at=None, now=None):
    now = now or utcnow()
    discarded_at = discarded_at or now
    if sample.discarded_at is not None:
        raise DomainError(_l("This food sample was already discarded."))
    check_discard(sample, discarded_at, now)
    sample.discarded_at, sample.discarded_by = discarded_at, actor
    db.session.flush()
    audit.record(actor, "food_sample.discarded", sample, after={"discarded_at": discarded_at.isoformat()})
    return sample


# --- tableware disinfection ---------------------------------------------------------------


def _minimum_text(settings, method):
    value, seconds = settings.disinfection_minimum(method)
    duration = duration_text(seconds)
    if method.measures_concentration:
        return _l(
            "%(method)s: at least %(value)d mg/L for %(duration)s.", method=method.label, value=value, duration=duration
        )
    return _l("%(method)s: at least %(value)d ℃ for %(duration)s.", method=method.label, value=value, duration=duration)


def check_disinfection(record, now=None):
    refuse_future_day(record, now)
    refuse_unserved_meal(record)
    settings = settings_of(record)
    method = DisinfectionMethod(record.method)
    least, least_seconds = settings.disinfection_minimum(method)
    measure_field = method.measure_field
    measured = getattr(record, measure_field)
    record.temperature_c = record.concentration_mg_l = None  # only the method's own measure is kept
    setattr(record, measure_field, measured)
    if measured is None or measured < least:
        raise DomainError(_minimum_text(settings, method), field=measure_field)
    if record.duration_seconds is None or record.duration_seconds < least_seconds:
        raise DomainError(_minimum_text(settings, method), field="duration_seconds")
    require_member(record, record.done_by, "done_by")


def save_disinfection(actor, record, before, now=None):
    records.assign_school(actor, record)
    if record.done_by is None and record.done_by_id is None:
        record.done_by = actor
    check_disinfection(record, now)
    return records.save_record(actor, record, before, now)


# --- morning checks -----------------------------------------------------------------------


def meal_is_over(school, day, meal, now=None):
    ends = datetime.combine(day, school.settings.meal_ends(meal), tzinfo=zone(school))
    return (now or utcnow()) >= ends


# --- what is due, for the reminders (portal/due_rules.py) -------------------------------------


def _dishes(context):
    return db.session.scalars(
        sa.select(MenuDish)
        .where(
            MenuDish.school_id == context.school.id,
            MenuDish.day.between(context.days[0], context.days[-1]),
            MenuDish.standing(),
        )
        .options(selectinload(MenuDish.samples))
        .order_by(MenuDish.id)
    ).all()


def find_samples(context, choice):
    dishes = _dishes(context)
    gaps = []
    for day in context.canteen_days:
        for meal in context.settings.meals():
            served = [dish for dish in dishes if dish.day == day and dish.meal is meal]
            missing = [dish.name for dish in served if not dish.standing_samples]
            if served and not missing:
                continue
            if served:
                subject = _(
                    "%(day)s %(meal)s: no food sample yet of %(dishes)s",
                    day=day.isoformat(),
                    meal=str(meal.label),
                    dishes="、".join(missing),
                )
            else:
                subject = _(
                    "%(day)s %(meal)s: no menu and no food sample yet", day=day.isoformat(), meal=str(meal.label)
                )
            gaps.append(
                Gap(
                    f"{day.isoformat()}:{meal.value}",
                    at(day, context.settings.meal_ends(meal), context.school),
                    subject,
                    ("canteen.record_meal", {"day": day.isoformat(), "meal": meal.value}),
                )
            )
    return gaps


def find_tableware(context, choice):
    done = set(
        db.session.execute(
            sa.select(TablewareDisinfection.day, TablewareDisinfection.meal).where(
                TablewareDisinfection.school_id == context.school.id,
                TablewareDisinfection.day.between(context.days[0], context.days[-1]),
                TablewareDisinfection.standing(),
            )
        ).all()
    )
    return [
        Gap(
            f"{day.isoformat()}:{meal.value}",
            at(day, context.settings.meal_ends(meal), context.school),
            _("%(day)s %(meal)s: tableware disinfection not recorded yet", day=day.isoformat(), meal=str(meal.label)),
            ("canteen.record_meal", {"day": day.isoformat(), "meal": meal.value}),
        )
        for day in context.canteen_days
        for meal in context.settings.meals()
        if (day, meal) not in done
    ]
