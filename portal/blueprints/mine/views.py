"""A school member's own things: rules to read, certificates, training."""

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm

from ...errors import DomainError
from ...extensions import db
from ...login import current_actor
from ...models.rule import Rule, RuleStatus
from ...permissions import Permission, requires
from ...services import certificates, rules, training
from ...tenancy import get_or_404
from . import bp


@bp.route("/my/rules")
@requires(Permission.OWN_RECORDS)
def list_my_rules():
    done = rules.acknowledged_version_ids(current_user)
    posted = rules.posted_rules(current_user.school_id)
    return render_template(
        "mine/rules.html",
        pending=[r for r in posted if r.current_version.id not in done],
        read=[r for r in posted if r.current_version.id in done],
        must_acknowledge=current_user.can(Permission.RULE_ACKNOWLEDGE),
    )


@bp.route("/my/rules/<rule_id>")
@requires(Permission.OWN_RECORDS)
def show_rule(rule_id):
    rule = get_or_404(Rule, rule_id)
    if rule.status is not RuleStatus.POSTED:
        abort(404)
    acknowledged = rule.current_version.id in rules.acknowledged_version_ids(current_user)
    return render_template("mine/rule.html", rule=rule, acknowledged=acknowledged, form=FlaskForm())


@bp.route("/my/rules/<rule_id>/acknowledge", methods=["POST"])
@requires(Permission.RULE_ACKNOWLEDGE)
def acknowledge_rule(rule_id):
    rule = get_or_404(Rule, rule_id)
    if not FlaskForm().validate_on_submit():
        return redirect(url_for("mine.show_rule", rule_id=rule.id))
    try:
        rules.acknowledge(current_actor(), rule)
    except DomainError as exc:
        db.session.rollback()
        flash(exc.message, "error")
        return redirect(url_for("mine.list_my_rules"))
    db.session.commit()
    flash(_("Thank you: you have confirmed reading %(title)s.", title=rule.title), "success")
    return redirect(url_for("mine.list_my_rules"))


@bp.route("/my/certificates")
@requires(Permission.OWN_RECORDS)
def list_my_certificates():
    return render_template("mine/certificates.html", states=certificates.of_holder(current_user))


@bp.route("/my/training")
@requires(Permission.OWN_RECORDS)
def list_my_training():
    year_hours = training.hours_by_year(current_user)
    return render_template("mine/training.html", sessions=training.sessions_of(current_user), year_hours=year_hours)
