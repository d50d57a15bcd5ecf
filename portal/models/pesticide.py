"""农药残留快检: a rapid test of vegetables or fruit as they are delivered, by GB/T 5009.199—2003
(《蔬菜中有机磷和氨基甲酸酯类农药残留量的快速检测》): the enzyme-inhibition method reads an
inhibition rate, positive from 50 %; the test card is read positive or negative. A positive
batch is returned or destroyed, and never goes into the storeroom or out of it."""

from datetime import date, datetime
from decimal import Decimal

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..timeutil import utcnow
from .ledger import LedgerRecord, one_standing
from .purchasing import DeliveryItem
from .registry import RecordKind, register
from .tenancy import SchoolOwned
from .types import LabelledEnum, UTCDateTime, enum_type, label
from .user import User

# GB/T 5009.199—2003, 酶抑制率法: an inhibition rate of 50 % or more is a positive sample.
POSITIVE_FROM_PERCENT = Decimal("50.0")


class ScreeningMethod(LabelledEnum):
    ENZYME_INHIBITION = "enzyme_inhibition"
    TEST_CARD = "test_card"

    @classmethod
    def _labels(cls):
        return {
            cls.ENZYME_INHIBITION: _l("Enzyme inhibition rate (酶抑制率法)"),
            cls.TEST_CARD: _l("Test card (速测卡法)"),
        }


class PesticideTest(LedgerRecord, SchoolOwned, db.Model):
    __tablename__ = "pesticide_test"
    __table_args__ = (
        sa.CheckConstraint(
            "inhibition_percent IS NULL OR inhibition_percent BETWEEN 0 AND 100", name="inhibition_in_range"
        ),
        sa.CheckConstraint(
            "method <> 'enzyme_inhibition' OR (inhibition_percent IS NOT NULL "
            "AND positive = (inhibition_percent >= 50))",
            name="positive_from_the_rate",
        ),
        sa.CheckConstraint("NOT positive OR length(trim(action)) > 0", name="positive_has_action"),
        one_standing("pesticide_test", "delivery_item_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    delivery_item_id: Mapped[int] = mapped_column(sa.ForeignKey("delivery_item.id", ondelete="RESTRICT"), index=True)
    # The delivery's day: the test is part of accepting it.
    day: Mapped[date] = mapped_column(index=True, info=label(_l("Date")))
    method: Mapped[ScreeningMethod] = mapped_column(
        enum_type(ScreeningMethod, "pesticide_test_method"), info=label(_l("Test method"))
    )
    inhibition_percent: Mapped[Decimal | None] = mapped_column(sa.Numeric(4, 1), info=label(_l("Inhibition rate (%)")))
    positive: Mapped[bool] = mapped_column(info=label(_l("Positive")))
    # What became of a positive batch: returned to the supplier, or destroyed.
    action: Mapped[str] = mapped_column(sa.String(300), default="", info=label(_l("What was done with it")))
    tested_by_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id", ondelete="RESTRICT"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, info=label(_l("Recorded at")))

    delivery_item: Mapped[DeliveryItem] = relationship(info=label(_l("Goods")))
    tested_by: Mapped[User] = relationship(foreign_keys=[tested_by_id], info=label(_l("Tested by")))

    def __str__(self):
        return f"{self.day} {self.delivery_item.name} {self.result_text}"

    @property
    def result_text(self):
        verdict = _l("positive") if self.positive else _l("negative")
        if self.inhibition_percent is None:
            return str(verdict)
        return f"{self.inhibition_percent}% {verdict}"


register(RecordKind("pesticide_tests", PesticideTest, _l("Pesticide rapid tests"), _l("Pesticide rapid test")))
