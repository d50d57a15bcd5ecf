"""Canteen and logistics rules (管理制度), their versions, and who has read which version."""

from datetime import date, datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..timeutil import utcnow
from .tenancy import SchoolOwned
from .types import LabelledEnum, UTCDateTime, enum_type, label
from .user import User


class RuleCategory(LabelledEnum):
    CANTEEN = "canteen"
    FOOD_SAFETY = "food_safety"
    HYGIENE = "hygiene"
    DORMITORY = "dormitory"
    SAFETY = "safety"
    NUTRITION = "nutrition"
    OTHER = "other"

    @classmethod
    def _labels(cls):
        return {
            cls.CANTEEN: _l("Canteen management"),
            cls.FOOD_SAFETY: _l("Food safety"),
            cls.HYGIENE: _l("Hygiene"),
            cls.DORMITORY: _l("Dormitory"),
            cls.SAFETY: _l("Campus safety"),
            cls.NUTRITION: _l("Nutrition plan"),
            cls.OTHER: _l("Other"),
        }


class PostingLocation(LabelledEnum):
    KITCHEN = "kitchen"
    STOREROOM = "storeroom"
    DINING_HALL = "dining_hall"
    WASHING_ROOM = "washing_room"
    OFFICE = "office"
    DORMITORY = "dormitory"
    NOTICE_BOARD = "notice_board"

    @classmethod
    def _labels(cls):
        return {
            cls.KITCHEN: _l("Kitchen"),
            cls.STOREROOM: _l("Storeroom"),
            cls.DINING_HALL: _l("Dining hall"),
            cls.WASHING_ROOM: _l("Washing and disinfection room"),
            cls.OFFICE: _l("Logistics office"),
            cls.DORMITORY: _l("Dormitory"),
            cls.NOTICE_BOARD: _l("Notice board"),
        }


class RuleStatus(LabelledEnum):
    DRAFT = "draft"
    POSTED = "posted"
    RETIRED = "retired"

    @classmethod
    def _labels(cls):
        return {
            cls.DRAFT: _l("Draft"),
            cls.POSTED: _l("Posted"),
            cls.RETIRED: _l("Retired"),
        }


class Rule(SchoolOwned, db.Model):
    __tablename__ = "rule"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(sa.String(200), index=True, info=label(_l("Title")))
    category: Mapped[RuleCategory] = mapped_column(enum_type(RuleCategory, "rule_category"), info=label(_l("Category")))
    status: Mapped[RuleStatus] = mapped_column(
        enum_type(RuleStatus, "rule_status"), default=RuleStatus.DRAFT, info=label(_l("Status"))
    )
    # Where the rule hangs on the wall (制度上墙): a list of PostingLocation values.
    posted_locations: Mapped[list[str]] = mapped_column(sa.JSON, default=list, info=label(_l("Posted at")))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    versions: Mapped[list["RuleVersion"]] = relationship(
        back_populates="rule",
        order_by="RuleVersion.number",
        cascade="all, delete-orphan",
        lazy="selectin",
    )

    def __str__(self):
        return self.title

    @property
    def current_version(self):
        return self.versions[-1] if self.versions else None

    @property
    def body(self):
        version = self.current_version
        return version.body if version else ""

    @property
    def effective_on(self):
        version = self.current_version
        return version.effective_on if version else None

    @property
    def version_number(self):
        version = self.current_version
        return version.number if version else 0

    @property
    def location_labels(self):
        return [PostingLocation(value).label for value in self.posted_locations or []]

    @property
    def needs_acknowledgement(self):
        return self.status is RuleStatus.POSTED

    def edits_create_version(self):
        """A posted or retired rule keeps its published text: an edit becomes a new version."""
        return self.status is not RuleStatus.DRAFT


class RuleVersion(SchoolOwned, db.Model):
    __tablename__ = "rule_version"
    __table_args__ = (sa.UniqueConstraint("rule_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    rule_id: Mapped[int] = mapped_column(sa.ForeignKey("rule.id", ondelete="CASCADE"), index=True)
    number: Mapped[int] = mapped_column(info=label(_l("Version")))
    body: Mapped[str] = mapped_column(sa.Text, info=label(_l("Text")))
    effective_on: Mapped[date] = mapped_column(info=label(_l("Effective from")))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True, info=label(_l("Written at")))
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"))

    rule: Mapped[Rule] = relationship(back_populates="versions", info=label(_l("Rule")))
    created_by: Mapped[User | None] = relationship(info=label(_l("Written by")))
    acknowledgements: Mapped[list["RuleAcknowledgement"]] = relationship(
        back_populates="rule_version", cascade="all, delete-orphan"
    )

    def __str__(self):
        return f"{self.rule.title} v{self.number}"


class RuleAcknowledgement(SchoolOwned, db.Model):
    """A staff member confirms having read one version of a rule (制度学习)."""

    __tablename__ = "rule_acknowledgement"
    __table_args__ = (sa.UniqueConstraint("rule_version_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    rule_version_id: Mapped[int] = mapped_column(sa.ForeignKey("rule_version.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id", ondelete="CASCADE"), index=True)
    acknowledged_at: Mapped[datetime] = mapped_column(
        UTCDateTime, default=utcnow, index=True, info=label(_l("Read at"))
    )

    rule_version: Mapped[RuleVersion] = relationship(
        back_populates="acknowledgements", info=label(_l("Rule and version"))
    )
    user: Mapped[User] = relationship(info=label(_l("Staff member")))
