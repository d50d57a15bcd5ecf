"""Schools, their settings and the lists every new school starts with."""

import sqlalchemy as sa
from flask import current_app
from flask_babel import lazy_gettext as _l

from ..errors import DomainError
from ..extensions import db
from ..models.access import Role
from ..models.cadence import CadenceRule, Period
from ..models.certificate import CertificateKind
from ..models.school import School, SchoolSettings
from ..timeutil import SCHOOL_TIMEZONES
from . import audit, checklists, dormitory, ingredients

# 校长一周两查，总务主任每天随时查.
DEFAULT_CADENCE = [
    ("校长每周检查", Role.PRINCIPAL, Period.WEEK, 2),
    ("总务主任每日检查", Role.DIRECTOR, Period.DAY, 1),
]

DEFAULT_CERTIFICATE_KINDS = [
    # (name, required for food handling)
    ("健康证", True),
    ("食品安全管理员证", False),
    ("厨师证", False),
    ("营养师证", False),
]


def check_school(school):
    if not (school.name or "").strip():
        raise DomainError(_l("Please enter the school's name."), field="name")
    if school.timezone not in SCHOOL_TIMEZONES:
        raise DomainError(_l("Unknown time zone: %(tz)s", tz=school.timezone), field="timezone")
    clash = db.session.scalar(sa.select(School.id).where(School.name == school.name.strip(), School.id != school.id))
    if clash is not None:
        raise DomainError(_l("A school with this name already exists."), field="name")
    school.name = school.name.strip()


def save_school(actor, school, before=None):
    check_school(school)
    if before is None:
        school.settings = school.settings or SchoolSettings()
        db.session.add(school)
        db.session.flush()
        for name, for_food in DEFAULT_CERTIFICATE_KINDS:
            db.session.add(
                CertificateKind(
                    school_id=school.id,
                    name=name,
                    required_for_food_handling=for_food,
                    valid_months=12 if for_food else None,
                )
            )
        ingredients.add_defaults(school.id)
        dormitory.add_default_standard(school.id)
        audit.record(actor, "school.created", school, school_id=None, after=audit.snapshot(school))
        template = checklists.create_default_template(actor, school.id)
        for name, role, period, count in DEFAULT_CADENCE:
            db.session.add(
                CadenceRule(
                    school_id=school.id, name=name, role=role, period=period, required_count=count, template=template
                )
            )
        return school
    db.session.flush()
    changed_before, changed_after = audit.difference(before, audit.snapshot(school))
    audit.record(actor, "school.updated", school, school_id=None, before=changed_before, after=changed_after)
    return school


def create_school(actor, *, name, county, timezone="Asia/Shanghai"):
    return save_school(actor, School(name=name, county=county, timezone=timezone))


def save_settings(actor, settings, before):
    if not settings.meals():
        raise DomainError(_l("The canteen serves at least one meal a day."), field="serves_lunch")
    for name, (floor, source) in SchoolSettings.FLOORS.items():
        value = getattr(settings, name)
        if value is None or value < floor:
            raise DomainError(
                _l(
                    "At least %(floor)s: %(source)s sets this figure. A school may be stricter, never looser.",
                    floor=floor,
                    source=source,
                ),
                field=name,
            )
    for name, (ceiling, source) in SchoolSettings.CEILINGS.items():
        value = getattr(settings, name)
        if value is None or value > ceiling:
            raise DomainError(
                _l(
                    "At most %(ceiling)s: %(source)s sets this figure. A school may be stricter, never looser.",
                    ceiling=ceiling,
                    source=source,
                ),
                field=name,
            )
    db.session.flush()
    changed_before, changed_after = audit.difference(before, audit.snapshot(settings))
    audit.record(
        actor,
        "school_settings.updated",
        settings,
        school_id=settings.school_id,
        before=changed_before,
        after=changed_after,
    )


def all_schools():
    return db.session.scalars(sa.select(School).order_by(School.name)).all()


def page_of_schools(page, search=""):
    """One page of the schools by name, found by a part of their name or county: the county's
    tables (its home, its compliance) are read a page at a time, so that a city's 2,000 schools
    cost what one page costs."""
    query = sa.select(School).order_by(School.name, School.id)
    words = (search or "").strip()[:100]
    if words:
        found_in = [column.contains(words, autoescape=True) for column in (School.name, School.county)]
        query = query.where(sa.or_(*found_in))
    per_page = current_app.config["COUNTY_SCHOOLS_PER_PAGE"]
    page = min(page, 100_000)  # past any city's last page; the database's offset stays in range
    found = db.paginate(query, page=page, per_page=per_page, error_out=False)
    if page > 1 and not found.items and found.total:  # past the last page: the last page
        found = db.paginate(query, page=found.pages, per_page=per_page, error_out=False)
    return found
