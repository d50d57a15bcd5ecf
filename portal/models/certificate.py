"""Staff certificates (证件): health certificates first of all."""

from datetime import date, datetime, timedelta

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..timeutil import utcnow
from .file import StoredFile
from .tenancy import SchoolOwned
from .types import LabelledEnum, UTCDateTime, label
from .user import User


class CertificateStatus(LabelledEnum):
    VALID = "valid"
    EXPIRING = "expiring"
    EXPIRED = "expired"
    # A newer certificate of the same kind took over: history, not an alarm.
    SUPERSEDED = "superseded"
    # A canteen worker holds no certificate at all of a kind required to handle food.
    MISSING = "missing"

    @classmethod
    def _labels(cls):
        return {
            cls.VALID: _l("Valid"),
            cls.EXPIRING: _l("Expiring soon"),
            cls.EXPIRED: _l("Expired"),
            cls.SUPERSEDED: _l("Replaced by a newer one"),
            cls.MISSING: _l("None on record"),
        }

    @property
    def is_alarm(self):
        return self in (CertificateStatus.EXPIRING, CertificateStatus.EXPIRED, CertificateStatus.MISSING)


class CertificateKind(SchoolOwned, db.Model):
    """A managed list per school: health certificate, food-safety manager, chef, ..."""

    __tablename__ = "certificate_kind"
    __table_args__ = (
        sa.UniqueConstraint("school_id", "name"),
        sa.CheckConstraint("valid_months IS NULL OR valid_months BETWEEN 1 AND 120", name="valid_months_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(100), info=label(_l("Kind of certificate")))
    # A canteen worker without a valid certificate of such a kind must not handle food.
    required_for_food_handling: Mapped[bool] = mapped_column(default=False, info=label(_l("Required to handle food")))
    # The longest a certificate of this kind is valid, from its date of issue (健康证: a year).
    valid_months: Mapped[int | None] = mapped_column(info=label(_l("Valid at most (months)")))

    def __str__(self):
        return self.name


class Certificate(SchoolOwned, db.Model):
    __tablename__ = "certificate"
    __table_args__ = (sa.CheckConstraint("expires_on IS NULL OR expires_on > issued_on", name="expires_after_issue"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    holder_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id", ondelete="RESTRICT"), index=True)
    kind_id: Mapped[int] = mapped_column(sa.ForeignKey("certificate_kind.id", ondelete="RESTRICT"))
    number: Mapped[str] = mapped_column(sa.String(100), info=label(_l("Number")))
    issuing_authority: Mapped[str] = mapped_column(sa.String(200), default="", info=label(_l("Issued by")))
    issued_on: Mapped[date] = mapped_column(info=label(_l("Issued on")))
    # Null for a certificate that does not expire.
    expires_on: Mapped[date | None] = mapped_column(index=True, info=label(_l("Expires on")))
    scan_id: Mapped[int | None] = mapped_column(sa.ForeignKey("stored_file.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    holder: Mapped[User] = relationship(info=label(_l("Holder")))
    kind: Mapped[CertificateKind] = relationship(lazy="joined", info=label(_l("Kind")))
    scan: Mapped[StoredFile | None] = relationship(info=label(_l("Scan")))

    def __str__(self):
        return f"{self.kind} {self.number}"

    def status_on(self, day, warning_days):
        if self.expires_on is None:
            return CertificateStatus.VALID
        if self.expires_on < day:
            return CertificateStatus.EXPIRED
        if self.expires_on <= day + timedelta(days=warning_days):
            return CertificateStatus.EXPIRING
        return CertificateStatus.VALID

    def lasts_longer_than(self, other):
        """The newer of two certificates of one kind: the one valid longest (no expiry is longest)."""
        if self.expires_on is None or other.expires_on is None:
            return other.expires_on is not None or self.issued_on > other.issued_on
        return (self.expires_on, self.issued_on) > (other.expires_on, other.issued_on)

    def dates_are_consistent(self):
        return self.expires_on is None or self.issued_on is None or self.expires_on > self.issued_on
