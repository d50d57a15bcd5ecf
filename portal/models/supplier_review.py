"""Suppliers' evaluation and exit (《中小学校园食品安全和膳食经费管理工作指引》(2024): 考核评价和退出
机制): each semester a supplier is scored against a fixed list, with the deliveries' own record
beside it; a supplier that fails, or that the school drops, exits with its reason and can no
longer deliver (services/purchasing.py refuses its deliveries from that day)."""

from datetime import date, datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..timeutil import utcnow
from .ledger import LedgerRecord
from .purchasing import Supplier
from .registry import RecordKind, register
from .tenancy import SchoolOwned
from .types import UTCDateTime, label
from .user import User

# The scored list: (key, what is scored, the most points). 100 in all; 60 passes.
CRITERIA = (
    ("licences", _l("Licences and certificates valid"), 20),
    ("quality", _l("Quality of the food delivered"), 30),
    ("tickets", _l("Tickets and quarantine certificates with every delivery"), 20),
    ("punctuality", _l("On time and complete"), 15),
    ("service", _l("Price and service"), 15),
)
PASSES_FROM = 60


class SupplierEvaluation(LedgerRecord, SchoolOwned, db.Model):
    __tablename__ = "supplier_evaluation"
    __table_args__ = (sa.CheckConstraint("total BETWEEN 0 AND 100", name="total_in_range"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    supplier_id: Mapped[int] = mapped_column(sa.ForeignKey("supplier.id", ondelete="RESTRICT"), index=True)
    day: Mapped[date] = mapped_column(index=True, info=label(_l("Date")))
    # {criterion key: points}
    scores: Mapped[dict] = mapped_column(sa.JSON, default=dict, info=label(_l("Scores")))
    total: Mapped[int] = mapped_column(info=label(_l("Total score")))
    # The deliveries' record of the semester as it stood when scored, in words.
    delivery_record: Mapped[str] = mapped_column(sa.Text, default="", info=label(_l("The deliveries' record")))
    note: Mapped[str] = mapped_column(sa.Text, default="", info=label(_l("Note")))
    evaluated_by_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id", ondelete="RESTRICT"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, info=label(_l("Recorded at")))

    supplier: Mapped[Supplier] = relationship(info=label(_l("Supplier")))
    evaluated_by: Mapped[User] = relationship(foreign_keys=[evaluated_by_id], info=label(_l("Evaluated by")))

    def __str__(self):
        return f"{self.day} {self.supplier} {self.total}"

    @property
    def passed(self):
        return self.total >= PASSES_FROM


register(RecordKind("supplier_evaluations", SupplierEvaluation, _l("Supplier evaluations"), _l("Supplier evaluation")))
