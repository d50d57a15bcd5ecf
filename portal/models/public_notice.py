"""公示: what a school publishes on its public page (the week's menu, the month's canteen funds,
the week's accompanied meals, the last survey's results), and from which day. No row, or no day,
publishes nothing; nothing personal is ever on the page."""

from datetime import date, datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..timeutil import utcnow
from .types import UTCDateTime, label
from .user import User


class PublicNotice(db.Model):
    __tablename__ = "public_notice"

    school_id: Mapped[int] = mapped_column(sa.ForeignKey("school.id", ondelete="CASCADE"), primary_key=True)
    published_from: Mapped[date | None] = mapped_column(info=label(_l("Published from")))
    shows_menu: Mapped[bool] = mapped_column(default=True, info=label(_l("The week's menu")))
    shows_funds: Mapped[bool] = mapped_column(default=True, info=label(_l("The canteen's funds by month")))
    shows_meals: Mapped[bool] = mapped_column(default=True, info=label(_l("The week's accompanied meals")))
    shows_survey: Mapped[bool] = mapped_column(default=True, info=label(_l("The last survey's results")))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"))

    updated_by: Mapped[User | None] = relationship(info=label(_l("Changed by")))

    SECTIONS = ("shows_menu", "shows_funds", "shows_meals", "shows_survey")

    def is_published(self, today):
        return self.published_from is not None and self.published_from <= today
