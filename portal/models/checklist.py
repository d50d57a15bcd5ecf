"""Checklist templates, versioned. An inspection copies the published version it starts
from, so a later edit of the template never rewrites an inspection."""

from datetime import datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..timeutil import utcnow
from .rule import Rule
from .tenancy import SchoolOwned
from .types import LabelledEnum, UTCDateTime, enum_type, label


class VersionStatus(LabelledEnum):
    DRAFT = "draft"
    PUBLISHED = "published"
    SUPERSEDED = "superseded"

    @classmethod
    def _labels(cls):
        return {cls.DRAFT: _l("Draft"), cls.PUBLISHED: _l("In use"), cls.SUPERSEDED: _l("Superseded")}


class ChecklistTemplate(SchoolOwned, db.Model):
    __tablename__ = "checklist_template"
    __table_args__ = (sa.UniqueConstraint("school_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(100), info=label(_l("Checklist")))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, info=label(_l("Created")))

    versions: Mapped[list["ChecklistVersion"]] = relationship(
        back_populates="template", order_by="ChecklistVersion.number", cascade="all, delete-orphan"
    )

    def __str__(self):
        return self.name

    @property
    def published_version(self):
        return next((v for v in self.versions if v.status is VersionStatus.PUBLISHED), None)


class ChecklistVersion(SchoolOwned, db.Model):
    __tablename__ = "checklist_version"
    __table_args__ = (sa.UniqueConstraint("template_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    template_id: Mapped[int] = mapped_column(sa.ForeignKey("checklist_template.id", ondelete="CASCADE"), index=True)
    number: Mapped[int] = mapped_column(info=label(_l("Version")))
    status: Mapped[VersionStatus] = mapped_column(
        enum_type(VersionStatus, "checklist_version_status"), default=VersionStatus.DRAFT, info=label(_l("Status"))
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime, info=label(_l("Published")))

    template: Mapped[ChecklistTemplate] = relationship(back_populates="versions", info=label(_l("Checklist")))
    entries: Mapped[list["ChecklistEntry"]] = relationship(
        back_populates="version",
        order_by="ChecklistEntry.position",
        cascade="all, delete-orphan",
        info=label(_l("Items")),
    )

    def __str__(self):
        return f"{self.template.name} v{self.number}"

    @property
    def is_draft(self):
        return self.status is VersionStatus.DRAFT

    @property
    def sections(self):
        """[(section title, [entries])] in order."""
        grouped = {}
        for entry in self.entries:
            grouped.setdefault(entry.section, []).append(entry)
        return list(grouped.items())


class ChecklistEntry(SchoolOwned, db.Model):
    __tablename__ = "checklist_entry"

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(sa.ForeignKey("checklist_version.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    section: Mapped[str] = mapped_column(sa.String(100))
    text: Mapped[str] = mapped_column(sa.Text)
    # The rule this item enforces, when there is one.
    rule_id: Mapped[int | None] = mapped_column(sa.ForeignKey("rule.id", ondelete="SET NULL"))

    version: Mapped[ChecklistVersion] = relationship(back_populates="entries")
    rule: Mapped[Rule | None] = relationship()

    def __str__(self):
        return self.text
