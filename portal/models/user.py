"""People who log in, and the roles they hold."""

import secrets
from datetime import date, datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from flask_login import UserMixin
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..timeutil import utcnow
from .access import Role, has_permission
from .person_name import PinyinNamed
from .school import School
from .types import UTCDateTime, enum_type, label


def new_session_token():
    return secrets.token_urlsafe(32)


class User(UserMixin, PinyinNamed, db.Model):
    __tablename__ = "user"
    __name_attribute__ = "display_name"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(sa.String(64), unique=True, info=label(_l("Username")))
    display_name: Mapped[str] = mapped_column(sa.String(64), index=True, info=label(_l("Name")))
    # Optional: notifications are also emailed when SMTP is configured.
    email: Mapped[str | None] = mapped_column(sa.String(254))
    # Null only for county-level users.
    school_id: Mapped[int | None] = mapped_column(sa.ForeignKey("school.id", ondelete="RESTRICT"), index=True)
    active: Mapped[bool] = mapped_column(default=True, info=label(_l("Active")))
    # On the canteen roster: checked every morning (晨检), must hold a valid health certificate.
    canteen_worker: Mapped[bool] = mapped_column(default=False, info=label(_l("Canteen worker")))
    # 食品安全员/总监: completes and signs the weekly risk report (周排查).
    food_safety_manager: Mapped[bool] = mapped_column(default=False, info=label(_l("Food-safety manager")))
    # 校级领导 (principal, vice principal, leader on duty): eats with the students and records
    # it (陪餐); the designation brings no inspection or ledger-management right.
    school_leader: Mapped[bool] = mapped_column(default=False, info=label(_l("School leader")))
    # 宿舍管理员: checks the dormitory rooms every boarding day.
    dormitory_manager: Mapped[bool] = mapped_column(
        default=False, server_default=sa.false(), info=label(_l("Dormitory manager"))
    )
    password_hash: Mapped[str] = mapped_column(sa.String(255))
    # Someone else set the password (an administrator): the owner chooses a new one first.
    password_reset_required: Mapped[bool] = mapped_column(default=False)
    # Flask-Login's session id: rotating it ends every session of this user.
    session_token: Mapped[str] = mapped_column(sa.String(64), unique=True, default=new_session_token)
    locale: Mapped[str | None] = mapped_column(sa.String(16))
    # Reminders by email once a day (at the school's digest time) instead of one by one.
    reminder_digest: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    digest_sent_on: Mapped[date | None]
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, info=label(_l("Created")))
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime, info=label(_l("Last login")))

    school: Mapped[School | None] = relationship(lazy="joined", info=label(_l("School")))
    role_grants: Mapped[list["UserRole"]] = relationship(
        back_populates="user", cascade="all, delete-orphan", lazy="selectin"
    )
    # 班主任: the active classes this user is the class teacher of (named on the class).
    taught_classes: Mapped[list["SchoolClass"]] = relationship(  # noqa: F821 - models/school_class.py
        primaryjoin="and_(SchoolClass.class_teacher_id == User.id, SchoolClass.active)", viewonly=True
    )

    def __str__(self):
        return self.display_name

    def get_id(self):
        return self.session_token

    @property
    def is_active(self):
        return self.active

    @property
    def roles(self):
        return frozenset(grant.role for grant in self.role_grants)

    def has_role(self, *roles):
        return bool(self.roles.intersection(roles))

    @property
    def teaches_a_class(self):
        return bool(self.taught_classes)

    @property
    def is_county_user(self):
        return self.school_id is None

    def can(self, permission):
        return has_permission(self, permission)


class UserRole(db.Model):
    __tablename__ = "user_role"

    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id", ondelete="CASCADE"), primary_key=True)
    role: Mapped[Role] = mapped_column(enum_type(Role, "role"), primary_key=True)

    user: Mapped[User] = relationship(back_populates="role_grants")
