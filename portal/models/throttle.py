"""Wrong passwords, counted per bucket (a device, an account, an address) for portal.throttle."""

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from .types import UTCDateTime


class PasswordFailure(db.Model):
    __tablename__ = "password_failure"
    __table_args__ = (sa.Index("ix_password_failure_bucket_failed_at", "bucket", "failed_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    bucket: Mapped[str] = mapped_column(sa.String(200))
    failed_at: Mapped[datetime] = mapped_column(UTCDateTime)
