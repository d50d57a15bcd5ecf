"""Uploaded files (training materials, certificate scans), kept under instance/uploads."""

from datetime import datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..timeutil import utcnow
from .tenancy import SchoolOwned
from .types import UTCDateTime, label
from .user import User


class StoredFile(SchoolOwned, db.Model):
    __tablename__ = "stored_file"

    id: Mapped[int] = mapped_column(primary_key=True)
    # What the file is for: decides who may download it (see services.files.can_download).
    purpose: Mapped[str] = mapped_column(sa.String(32))
    original_name: Mapped[str] = mapped_column(sa.String(255))
    content_type: Mapped[str] = mapped_column(sa.String(100))
    size: Mapped[int]
    sha256: Mapped[str] = mapped_column(sa.String(64))
    # Relative to UPLOAD_FOLDER; chosen by the portal, never by the uploader.
    storage_key: Mapped[str] = mapped_column(sa.String(255), unique=True)
    uploaded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"))
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # What the portal read from the file, kept so that it is read once (a roster's rows and
    # the problems found in them): the preview and the import read this, not the file again.
    contents: Mapped[dict | None] = mapped_column(sa.JSON, info=label(_l("What was read from it")))

    uploaded_by: Mapped[User | None] = relationship()

    def __str__(self):
        return self.original_name

    @property
    def is_image(self):
        return self.content_type.startswith("image/")
