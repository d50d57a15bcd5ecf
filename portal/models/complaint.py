"""校园食安码: a complaint about the canteen left by anyone who scans the code on the canteen wall,
with no login (what happened, a photo, a contact if they want an answer). It is the school's task
until it is answered, within ANSWER_WITHIN; the answer is shown on the phone that sent it, and
whoever left a contact is called back. Answered means frozen, like a signature; a problem the
answer confirms becomes a rectification task."""

from datetime import date, datetime, timedelta

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..timeutil import utcnow
from .file import StoredFile
from .food_safety import SignedRecord
from .registry import SIGNATURE, RecordKind, register
from .tenancy import SchoolOwned
from .types import UTCDateTime, label
from .user import User

# No national figure was found for answering a school canteen complaint; three days is the
# portal's (the 12345 hotlines answer within a few working days).
ANSWER_WITHIN = timedelta(days=3)
TEXT_MAX = 500
CONTACT_MAX = 40


class Complaint(SignedRecord, SchoolOwned, db.Model):
    __tablename__ = "complaint"
    __table_args__ = (
        sa.CheckConstraint("(signed_at IS NULL) = (signed_by_id IS NULL)", name="answered_has_who"),
        sa.CheckConstraint("signed_at IS NULL OR length(trim(answer)) > 0", name="answered_with_words"),
        sa.CheckConstraint("length(trim(text)) > 0", name="says_something"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime, info=label(_l("Received at")))
    # The school's date of ``received_at``.
    day: Mapped[date] = mapped_column(index=True, info=label(_l("Date")))
    text: Mapped[str] = mapped_column(sa.Text, info=label(_l("Complaint")))
    photo_id: Mapped[int | None] = mapped_column(sa.ForeignKey("stored_file.id", ondelete="RESTRICT"))
    # A telephone or a WeChat id, only if the person wants to be called back: read by those
    # who answer (permission complaint.answer), never shown in the lists, exports or evidence.
    contact: Mapped[str] = mapped_column(sa.String(CONTACT_MAX), default="", info=label(_l("Contact")))
    # Keyed hashes of the device cookie and the network address (services/complaints.py).
    device: Mapped[str] = mapped_column(sa.String(64), index=True, info=label(_l("Phone (keyed)")))
    address: Mapped[str] = mapped_column(sa.String(64), info=label(_l("Network address (keyed)")))
    answer: Mapped[str] = mapped_column(sa.Text, default="", info=label(_l("The school's answer")))
    # A problem the answer confirms, which becomes a rectification task.
    problem: Mapped[str] = mapped_column(sa.Text, default="", info=label(_l("Problem confirmed")))
    signed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, info=label(_l("Answered at")))
    signed_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="RESTRICT"))

    photo: Mapped[StoredFile | None] = relationship()
    signed_by: Mapped[User | None] = relationship(info=label(_l("Answered by")))

    def __str__(self):
        return f"{self.day} {self.text[:30]}"

    @property
    def answer_due(self):
        return self.received_at + ANSWER_WITHIN

    @property
    def is_answered(self):
        return self.is_signed

    def late(self, now=None):
        """Answered after its deadline, or still open when it has passed."""
        if self.signed_at is not None:
            return self.signed_at > self.answer_due
        return (now or utcnow()) >= self.answer_due

    @property
    def found_by_id(self):
        """The task a confirmed problem raises is checked by whoever answered."""
        return self.signed_by_id

    @property
    def ledger_day(self):
        return self.day


register(
    RecordKind(
        "complaints",
        Complaint,
        _l("Complaints"),
        _l("Complaint"),
        locks=SIGNATURE,
        raises_tasks=True,
    )
)
