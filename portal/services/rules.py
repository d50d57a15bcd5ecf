"""Rules: writing, posting and retiring them; versions; staff acknowledgements."""

from dataclasses import dataclass
from datetime import time, timedelta

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ..due import Gap, at
from ..errors import DomainError
from ..extensions import db
from ..models.rule import Rule, RuleAcknowledgement, RuleStatus, RuleVersion
from ..models.user import User, UserRole
from ..permissions import Permission, roles_with
from ..timeutil import school_today
from . import audit, records


def save_rule(actor, rule, before, *, body, effective_on):
    """Create or edit a rule. On a posted or retired rule a changed text or effective date
    becomes a new version; the published versions stay as they were."""
    body = (body or "").strip()
    if not body:
        raise DomainError(_l("Please enter the text of the rule."), field="body")
    records.assign_school(actor, rule)
    effective_on = effective_on or school_today(rule.school)
    current = rule.current_version
    if current is None:
        rule.versions.append(_new_version(actor, rule, 1, body, effective_on))
    elif (current.body, current.effective_on) != (body, effective_on):
        if rule.edits_create_version():
            version = _new_version(actor, rule, current.number + 1, body, effective_on)
            rule.versions.append(version)
            db.session.flush()
            audit.record(actor, "rule.version_created", rule, after={"version": version.number, "body": body})
        else:
            current.body, current.effective_on = body, effective_on
    return records.save_record(actor, rule, before)


def _new_version(actor, rule, number, body, effective_on):
    return RuleVersion(
        school_id=rule.school_id,
        number=number,
        body=body,
        effective_on=effective_on,
        created_by_id=getattr(actor, "id", None),
    )


def post_rule(actor, rule):
    if rule.status is RuleStatus.POSTED:
        raise DomainError(_l("The rule %(title)s is already posted.", title=rule.title))
    if not rule.posted_locations:
        raise DomainError(_l("Say where the rule %(title)s is posted before posting it.", title=rule.title))
    _transition(actor, rule, RuleStatus.POSTED, "rule.posted")


def retire_rule(actor, rule):
    if rule.status is not RuleStatus.POSTED:
        raise DomainError(_l("Only a posted rule can be retired: %(title)s", title=rule.title))
    _transition(actor, rule, RuleStatus.RETIRED, "rule.retired")


def _transition(actor, rule, status, action):
    before = rule.status
    rule.status = status
    audit.record(actor, action, rule, before={"status": before.value}, after={"status": status.value})


def delete_rule(actor, rule):
    if rule.status is not RuleStatus.DRAFT:
        raise DomainError(
            _l("A posted or retired rule is part of the record and cannot be deleted; retire it instead.")
        )
    records.delete_record(actor, rule)


def acknowledge(user, rule):
    """The user confirms having read the rule's current version. Idempotent."""
    if rule.school_id != user.school_id or rule.status is not RuleStatus.POSTED:
        raise DomainError(_l("This rule is not posted."))
    version = rule.current_version
    existing = db.session.scalar(
        sa.select(RuleAcknowledgement).where(
            RuleAcknowledgement.rule_version_id == version.id, RuleAcknowledgement.user_id == user.id
        )
    )
    if existing is not None:
        return existing
    acknowledgement = RuleAcknowledgement(school_id=user.school_id, rule_version_id=version.id, user_id=user.id)
    db.session.add(acknowledgement)
    audit.record(user, "rule.acknowledged", acknowledgement, after={"rule_id": rule.id, "version": version.number})
    return acknowledgement


def posted_rules(school_id):
    return db.session.scalars(
        sa.select(Rule)
        .where(Rule.school_id == school_id, Rule.status == RuleStatus.POSTED)
        .order_by(Rule.category, Rule.title)
    ).all()


def acknowledged_version_ids(user):
    return set(
        db.session.scalars(sa.select(RuleAcknowledgement.rule_version_id).where(RuleAcknowledgement.user_id == user.id))
    )


def pending_for(user):
    """Posted rules whose current version the user has not acknowledged yet."""
    if user.school_id is None or not user.can(Permission.RULE_ACKNOWLEDGE):
        return []
    done = acknowledged_version_ids(user)
    return [rule for rule in posted_rules(user.school_id) if rule.current_version.id not in done]


@dataclass
class Coverage:
    rule: Rule
    acknowledged: int
    audience: int

    @property
    def percent(self):
        return round(100 * self.acknowledged / self.audience) if self.audience else 100


def audience_query(school_ids):
    """Who must read the schools' posted rules: their active staff (id, school id)."""
    return (
        sa.select(User.id, User.school_id)
        .join(UserRole, UserRole.user_id == User.id)
        .where(
            User.school_id.in_(school_ids),
            User.active.is_(True),
            UserRole.role.in_(roles_with(Permission.RULE_ACKNOWLEDGE)),
        )
        .distinct()
    )


def coverage_of(rule):
    """(acknowledged, audience) for the rule's current version."""
    return coverage_of_many([rule])[rule.id]


def coverage_of_many(rules):
    """{rule id: (acknowledged, audience)} for the rules' current versions, in two queries
    whatever the number of rules and schools."""
    audience = audience_query({rule.school_id for rule in rules}).subquery()
    sizes = dict(
        db.session.execute(sa.select(audience.c.school_id, sa.func.count()).group_by(audience.c.school_id)).all()
    )
    versions = [rule.current_version.id for rule in rules if rule.current_version]
    acknowledged = dict(
        db.session.execute(
            sa.select(RuleAcknowledgement.rule_version_id, sa.func.count())
            .where(
                RuleAcknowledgement.rule_version_id.in_(versions),
                RuleAcknowledgement.user_id.in_(sa.select(audience.c.id)),
            )
            .group_by(RuleAcknowledgement.rule_version_id)
        ).all()
    )
    return {
        rule.id: (
            acknowledged.get(rule.current_version.id, 0) if rule.current_version else 0,
            sizes.get(rule.school_id, 0),
        )
        for rule in rules
    }


def coverage(school_id):
    posted = posted_rules(school_id)
    counts = coverage_of_many(posted)
    return [Coverage(rule, *counts[rule.id]) for rule in posted]


# --- what is due, for the reminders (portal/due_rules.py) -------------------------------------


def find_rule_confirmations(context, choice):
    rules = db.session.scalars(
        sa.select(Rule).where(Rule.school_id == context.school.id, Rule.status == RuleStatus.POSTED)
    ).all()
    audience = [user for user in context.users if user.can(Permission.RULE_ACKNOWLEDGE)]
    versions = [rule.current_version.id for rule in rules if rule.current_version]
    done = set(
        db.session.execute(
            sa.select(RuleAcknowledgement.rule_version_id, RuleAcknowledgement.user_id).where(
                RuleAcknowledgement.rule_version_id.in_(versions)
            )
        ).all()
    )
    gaps = []
    for rule in rules:
        version = rule.current_version
        if version is None or not rule.needs_acknowledgement:
            continue
        pending = [user for user in audience if (version.id, user.id) not in done]
        if not pending:
            continue
        posted = max(version.created_at, at(version.effective_on, time(0), context.school))
        gaps.append(
            Gap(
                f"{version.id}",
                posted + timedelta(days=choice.due_day),
                _(
                    "《%(title)s》 not yet confirmed as read by %(people)s",
                    title=rule.title,
                    people="、".join(user.display_name for user in pending),
                ),
                ("mine.show_rule", {"rule_id": rule.id}),
                tuple(user.id for user in pending),
            )
        )
    return gaps
