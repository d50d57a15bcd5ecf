"""The school's classes (班级): a managed list the roster's import is checked against, each
with its class teacher (班主任) when the school names one."""

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .tenancy import SchoolOwned
from .types import label
from .user import User


class SchoolClass(SchoolOwned, db.Model):
    __tablename__ = "school_class"
    __table_args__ = (sa.UniqueConstraint("school_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # As the student register writes it (七年级1班): the import matches on this name.
    name: Mapped[str] = mapped_column(sa.String(40), index=True, info=label(_l("Class")))
    class_teacher_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"))
    active: Mapped[bool] = mapped_column(default=True, info=label(_l("Active")))

    class_teacher: Mapped[User | None] = relationship(info=label(_l("Class teacher")))

    def __str__(self):
        return self.name
