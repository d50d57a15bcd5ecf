"""Reports for school admins and readers: rule coverage, training hours per person."""

from flask import render_template, request
from flask_login import current_user

from ...extensions import db
from ...models.school import School
from ...permissions import Permission, reads_all_schools, requires
from ...services import rules, training
from ...tenancy import chosen_school
from ...timeutil import school_today
from . import bp


def _schools():
    return db.session.scalars(db.select(School).order_by(School.name)).all() if reads_all_schools(current_user) else []


@bp.route("/reports/rule-coverage")
@requires(Permission.RULE_READ)
def show_rule_coverage():
    school = chosen_school()
    coverage = rules.coverage(school.id) if school else []
    return render_template("reports/rule_coverage.html", school=school, schools=_schools(), coverage=coverage)


@bp.route("/reports/training-hours")
@requires(Permission.TRAINING_READ)
def show_training_hours():
    school = chosen_school()
    year = request.args.get("year", type=int) or school_today(school).year
    if not 2000 <= year <= 2100:
        year = school_today(school).year
    rows = training.hours_per_person(school, year) if school else []
    return render_template("reports/training_hours.html", school=school, schools=_schools(), year=year, rows=rows)
