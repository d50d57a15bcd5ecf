"""Accounts: creation, roles, passwords, sessions, deactivation."""

import re

import sqlalchemy as sa
from flask import current_app
from flask_babel import lazy_gettext as _l

from .. import throttle
from ..errors import DomainError
from ..extensions import db
from ..models.access import COUNTY_ROLES
from ..models.audit import AuditEvent
from ..models.user import User, UserRole, new_session_token
from ..passwords import burn_time, hash_password, needs_rehash, verify_password
from ..permissions import grantable_designations, grantable_roles, may_manage
from ..timeutil import utcnow
from . import audit

USERNAME_PATTERN = re.compile(r"^[a-z0-9][a-z0-9_.-]{2,63}$")


def normalise_username(username):
    return (username or "").strip().lower()


def find_by_username(username):
    return db.session.scalar(sa.select(User).where(User.username == normalise_username(username)))


def canteen_workers(school_id):
    """The canteen roster: active workers checked every morning, who need a valid health certificate."""
    return db.session.scalars(
        sa.select(User)
        .where(User.school_id == school_id, User.active.is_(True), User.canteen_worker.is_(True))
        .order_by(User.name_pinyin, User.id)
    ).all()


def authenticate(username, password):
    """The active user with this username and password, or None; costs the same either way.
    Raises throttle.Throttled when there were too many wrong passwords."""
    username = normalise_username(username)[:64]
    user = find_by_username(username)
    password_hash = user.password_hash if user is not None else None

    def verify():
        if password_hash is None:
            burn_time(password)
            return False
        return verify_password(password_hash, password)

    if not throttle.check(username, verify) or not user.active:
        return None
    return user


def check_own_password(user, password):
    """Every password re-entry (signing, confirming): throttled like a login."""
    if not password or not throttle.check(user.username, lambda: verify_password(user.password_hash, password)):
        raise DomainError(_l("The password is not correct."), field="password")


# Changes to an account that its owner is told about at their next login.
ACCOUNT_CHANGES = ("user.updated", "user.password_set", "user.created")


def changes_by_others(user, since):
    """What someone else did to this account since ``since`` (the previous login), oldest first."""
    query = sa.select(AuditEvent).where(
        AuditEvent.object_type == "User",
        AuditEvent.object_id == str(user.id),
        AuditEvent.action.in_(ACCOUNT_CHANGES),
        sa.or_(AuditEvent.actor_id.is_(None), AuditEvent.actor_id != user.id),
    )
    if since is not None:
        query = query.where(AuditEvent.occurred_at > since)
    return db.session.scalars(query.order_by(AuditEvent.id)).all()


def record_login(user, password):
    user.last_login_at = utcnow()
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    audit.record(user, "user.login", user, school_id=user.school_id)


def logout(user):
    """Ends every session of the user, not only this browser's."""
    user.session_token = new_session_token()
    audit.record(user, "user.logout", user, school_id=user.school_id)


def create_user(
    actor,
    *,
    username,
    display_name,
    password,
    roles,
    school=None,
    active=True,
    email=None,
    canteen_worker=False,
    food_safety_manager=False,
    school_leader=False,
    dormitory_manager=False,
):
    user = User(active=active, email=(email or "").strip() or None, canteen_worker=canteen_worker)
    _set_designations(
        actor,
        user,
        food_safety_manager=food_safety_manager,
        school_leader=school_leader,
        dormitory_manager=dormitory_manager,
    )
    user.username = _checked_username(username)
    user.display_name = _checked_display_name(display_name)
    _check_password(password, user.username)
    user.password_hash = hash_password(password)
    # A password somebody else chose is only good for the first login.
    user.password_reset_required = actor is not None
    _apply_school_and_roles(actor, user, school, set(roles))
    db.session.add(user)
    audit.record(
        actor, "user.created", user, school_id=user.school_id, after=audit.snapshot(user) | {"roles": user.roles}
    )
    return user


def update_user(
    actor,
    user,
    *,
    display_name,
    roles,
    school=...,
    active=None,
    password=None,
    email=...,
    canteen_worker=None,
    food_safety_manager=None,
    school_leader=None,
    dormitory_manager=None,
):
    if not may_manage(actor, user):
        raise DomainError(
            _l(
                "Only the county admin changes this account: nobody changes their own, "
                "and roles that sign come from the county."
            )
        )
    before = audit.snapshot(user) | {"roles": user.roles}
    user.display_name = _checked_display_name(display_name)
    if canteen_worker is not None:
        user.canteen_worker = canteen_worker
    designations = {
        "food_safety_manager": food_safety_manager,
        "school_leader": school_leader,
        "dormitory_manager": dormitory_manager,
    }
    _set_designations(actor, user, **{name: value for name, value in designations.items() if value is not None})
    if email is not ...:
        user.email = (email or "").strip() or None
    if school is ...:
        school = user.school
    _apply_school_and_roles(actor, user, school, _merge_roles(actor, user.roles, set(roles)))
    if active is not None and active != user.active:
        if not active and actor is not None and actor.id == user.id:
            raise DomainError(_l("You cannot deactivate your own account."), field="active")
        user.active = active
        if not active:
            user.session_token = new_session_token()
    if password:
        _set_password(user, password)
        user.password_reset_required = True
    after = audit.snapshot(user) | {"roles": user.roles}
    changed_before, changed_after = audit.difference(before, after)
    if password:
        changed_after["password"] = "changed"  # noqa: S105 - the trail says a password changed, never which
    audit.record(actor, "user.updated", user, school_id=user.school_id, before=changed_before, after=changed_after)
    return user


def set_password(actor, user, password):
    """An administrator's reset: every session ends and the owner chooses a new password at
    the next login."""
    if not may_manage(actor, user):
        raise DomainError(_l("Only the county admin resets this password."))
    _set_password(user, password)
    user.password_reset_required = True
    audit.record(actor, "user.password_set", user, school_id=user.school_id)


def change_own_password(user, current_password, new_password):
    if not throttle.check(user.username, lambda: verify_password(user.password_hash, current_password)):
        raise DomainError(_l("The current password is not correct."), field="current_password")
    _set_password(user, new_password)
    user.password_reset_required = False
    audit.record(user, "user.password_changed", user, school_id=user.school_id)


def deactivate(actor, user):
    if actor is not None and actor.id == user.id:
        raise DomainError(_l("You cannot deactivate your own account."))
    if not may_manage(actor, user):
        raise DomainError(_l("Only the county admin deactivates this account."))
    user.active = False
    user.session_token = new_session_token()
    audit.record(actor, "user.deactivated", user, school_id=user.school_id)


def set_locale(user, locale):
    if locale not in current_app.config["LANGUAGES"]:
        raise DomainError(_l("Unknown language."))
    if user.locale != locale:
        user.locale = locale
        audit.record(user, "user.locale_set", user, school_id=user.school_id, after={"locale": locale})


def set_reminder_digest(user, digest):
    """Reminders by email once a day instead of one by one (a personal choice)."""
    if user.reminder_digest != digest:
        user.reminder_digest = digest
        audit.record(user, "user.reminder_digest_set", user, school_id=user.school_id, after={"digest": digest})


def _set_designations(actor, user, **designations):
    """Designations that bring a signing power (食品安全员 signs the weekly risk report) are
    set like the roles that sign: by whoever may grant them, never by oneself."""
    for name, wanted in designations.items():
        if bool(wanted) == bool(getattr(user, name)):
            continue
        if actor is not None and (name not in grantable_designations(actor) or actor.id == user.id):
            raise DomainError(
                _l("Only the county admin names a food-safety manager.")
                if name == "food_safety_manager"
                else _l("Nobody names themselves a school leader.")
                if name == "school_leader"
                else _l("Nobody gives themselves this designation."),
                field=name,
            )
        setattr(user, name, bool(wanted))


def _set_password(user, password):
    _check_password(password, user.username)
    user.password_hash = hash_password(password)
    # Every session started with the old password ends here.
    user.session_token = new_session_token()


def _checked_username(username):
    username = normalise_username(username)
    if not USERNAME_PATTERN.match(username):
        raise DomainError(
            _l("A username has 3 to 64 letters, digits, dots, dashes or underscores."),
            field="username",
        )
    if find_by_username(username) is not None:
        raise DomainError(_l("The username %(username)s is already taken.", username=username), field="username")
    return username


def _checked_display_name(display_name):
    display_name = (display_name or "").strip()
    if not display_name:
        raise DomainError(_l("Please enter the person's name."), field="display_name")
    return display_name


def _check_password(password, username):
    minimum = current_app.config["MIN_PASSWORD_LENGTH"]
    if not password or len(password) < minimum:
        raise DomainError(_l("A password needs at least %(n)d characters.", n=minimum), field="password")
    if password.strip().lower() == username:
        raise DomainError(_l("The password must not be the username."), field="password")


def _merge_roles(actor, current, requested):
    """Roles the actor may not grant stay as they were, whatever the form sent."""
    if actor is None:
        return requested
    grantable = grantable_roles(actor)
    return (current - grantable) | (requested & grantable)


def _apply_school_and_roles(actor, user, school, roles):
    if not roles:
        raise DomainError(_l("Choose at least one role."), field="roles")
    if actor is not None:
        refused = (roles ^ user.roles) - grantable_roles(actor)
        if refused:
            names = "、".join(str(role.label) for role in sorted(refused))
            raise DomainError(_l("You may not grant or remove the role: %(roles)s", roles=names), field="roles")
        if actor.school_id is not None and (school is None or school.id != actor.school_id):
            raise DomainError(_l("You can only manage users of your own school."), field="school")
    county = roles & COUNTY_ROLES
    if county and county != roles:
        raise DomainError(_l("County roles cannot be combined with school roles."), field="roles")
    if county and school is not None:
        raise DomainError(_l("A county user does not belong to a school."), field="school")
    if not county and school is None:
        raise DomainError(_l("Choose the user's school."), field="school")
    user.school = school
    user.school_id = school.id if school is not None else None
    existing = {grant.role: grant for grant in user.role_grants}
    user.role_grants = [existing.get(role) or UserRole(role=role) for role in sorted(roles)]
