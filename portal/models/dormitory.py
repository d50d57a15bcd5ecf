"""Dormitory housekeeping (宿舍内务): rooms and the semester's beds, the school's scored
standard, and the daily check of each room by the dormitory manager (一天一检查), from which
the daily notice per class (一天一通报) and the weekly ranking (一周一评比) follow; rooms that
scored low are coached.

A check is a ledger record of its day: it locks like every ledger. Its deductions are kept
in the record itself, with the standard's wording and points as they were that day, so that
a later change of the standard never rewrites what a check said.
"""

from datetime import date, datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..timeutil import utcnow
from .calendar import Term
from .file import StoredFile
from .ledger import LedgerRecord, one_standing
from .registry import RecordKind, register
from .school_class import SchoolClass
from .station import Station
from .tenancy import SchoolOwned
from .types import UTCDateTime, label
from .user import User

# The school's account: quilts folded square; cups, towels, toothbrushes, basins and shoes in
# one line; floor clean and dry, no litter, no standing water, tools tidy.
DEFAULT_STANDARD = (
    ("被子叠放成方块，床铺平整", 20),
    ("水杯、毛巾、牙刷、脸盆摆放成一条线", 20),
    ("鞋子摆放成一条线", 15),
    ("地面干净干燥", 15),
    ("无垃圾、无杂物", 10),
    ("无积水", 10),
    ("劳动工具摆放整齐", 10),
)


class DormRoom(SchoolOwned, Station, db.Model):
    __tablename__ = "dorm_room"
    __table_args__ = (
        sa.UniqueConstraint("school_id", "building", "number"),
        sa.CheckConstraint("beds BETWEEN 1 AND 40", name="beds_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    building: Mapped[str] = mapped_column(sa.String(40), index=True, info=label(_l("Building")))
    floor: Mapped[int] = mapped_column(default=1, info=label(_l("Floor")))
    number: Mapped[str] = mapped_column(sa.String(20), info=label(_l("Dormitory room")))
    beds: Mapped[int] = mapped_column(default=8, info=label(_l("Beds")))
    active: Mapped[bool] = mapped_column(default=True, info=label(_l("Active")))

    def __str__(self):
        return f"{self.building}{self.number}"

    @staticmethod
    def floor_of(number):
        """The floor a room number says: 305 is on the 3rd, 1203 on the 12th; 1 when it says none."""
        digits = "".join(ch for ch in number if ch.isdigit())
        return int(digits[:-2]) if len(digits) >= 3 else 1


class DormBed(SchoolOwned, db.Model):
    """A bed and its student for one semester: the student's class is the class the room's
    score counts for."""

    __tablename__ = "dorm_bed"
    __table_args__ = (sa.UniqueConstraint("term_id", "room_id", "bed"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    term_id: Mapped[int] = mapped_column(sa.ForeignKey("term.id", ondelete="RESTRICT"), index=True)
    room_id: Mapped[int] = mapped_column(sa.ForeignKey("dorm_room.id", ondelete="RESTRICT"), index=True)
    bed: Mapped[str] = mapped_column(sa.String(10), info=label(_l("Bed")))
    student_name: Mapped[str] = mapped_column(sa.String(50), info=label(_l("Student")))
    class_id: Mapped[int] = mapped_column(
        sa.ForeignKey("school_class.id", ondelete="RESTRICT"), index=True, info=label(_l("Class"))
    )

    term: Mapped[Term] = relationship(info=label(_l("Semester")))
    room: Mapped[DormRoom] = relationship(info=label(_l("Dormitory room")))
    school_class: Mapped[SchoolClass] = relationship(info=label(_l("Class")))

    def __str__(self):
        return f"{self.room} {self.bed}号床 {self.student_name}"


class DormStandardItem(SchoolOwned, db.Model):
    """One line of the school's housekeeping standard and the points it is worth."""

    __tablename__ = "dorm_standard_item"
    __table_args__ = (sa.CheckConstraint("points BETWEEN 1 AND 100", name="points_range"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    text: Mapped[str] = mapped_column(sa.String(100), info=label(_l("What is checked")))
    points: Mapped[int] = mapped_column(info=label(_l("Points")))
    position: Mapped[int] = mapped_column(default=0, index=True, info=label(_l("Order")))
    active: Mapped[bool] = mapped_column(default=True, info=label(_l("Active")))

    def __str__(self):
        return f"{self.text}（{self.points}分）"


class DormCheck(LedgerRecord, SchoolOwned, db.Model):
    """A room's daily check: what was deducted, item by item, and the score left."""

    __tablename__ = "dorm_check"
    __table_args__ = (
        sa.CheckConstraint("score >= 0 AND score <= full_score", name="score_range"),
        one_standing("dorm_check", "room_id", "day"),
        sa.Index("ix_dorm_check_school_day", "school_id", "day"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    day: Mapped[date] = mapped_column(index=True, info=label(_l("Date")))
    room_id: Mapped[int] = mapped_column(sa.ForeignKey("dorm_room.id", ondelete="RESTRICT"), index=True)
    # [{"item": wording, "points": deducted, "of": the item's points, "note": what was wrong}]
    deductions: Mapped[list] = mapped_column(sa.JSON, default=list, info=label(_l("Deductions")))
    full_score: Mapped[int] = mapped_column(info=label(_l("Out of")))
    score: Mapped[int] = mapped_column(info=label(_l("Housekeeping score")))
    note: Mapped[str] = mapped_column(sa.String(200), default="", info=label(_l("Note")))
    photo_id: Mapped[int | None] = mapped_column(sa.ForeignKey("stored_file.id", ondelete="SET NULL"))
    checked_by_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id", ondelete="RESTRICT"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, info=label(_l("Recorded at")))

    room: Mapped[DormRoom] = relationship(info=label(_l("Dormitory room")))
    photo: Mapped[StoredFile | None] = relationship()
    checked_by: Mapped[User] = relationship(foreign_keys=[checked_by_id], info=label(_l("Room checked by")))

    def __str__(self):
        return f"{self.day} {self.room} {self.score}分"


class DormCoaching(LedgerRecord, SchoolOwned, db.Model):
    """个别辅导: a low-scoring room coached, by whom, and what was shown."""

    __tablename__ = "dorm_coaching"

    id: Mapped[int] = mapped_column(primary_key=True)
    day: Mapped[date] = mapped_column(index=True, info=label(_l("Date")))
    room_id: Mapped[int] = mapped_column(sa.ForeignKey("dorm_room.id", ondelete="RESTRICT"), index=True)
    notes: Mapped[str] = mapped_column(sa.Text, info=label(_l("What was shown")))
    coached_by_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id", ondelete="RESTRICT"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, info=label(_l("Recorded at")))

    room: Mapped[DormRoom] = relationship(info=label(_l("Dormitory room")))
    coached_by: Mapped[User] = relationship(foreign_keys=[coached_by_id], info=label(_l("Coached by")))

    def __str__(self):
        return f"{self.day} {self.room}"


register(RecordKind("dorm_checks", DormCheck, _l("Dormitory checks"), _l("Dormitory check")))
register(RecordKind("dorm_coachings", DormCoaching, _l("Dormitory coaching"), _l("Coaching of a dormitory room")))
