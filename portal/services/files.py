"""Uploads: checked for size and real type, images re-encoded without metadata, stored
under the instance folder with a name the portal chooses."""

import hashlib
import io
import os
import uuid
from dataclasses import dataclass

import filetype
import sqlalchemy as sa
from flask import current_app
from flask_babel import lazy_gettext as _l
from PIL import Image, ImageOps, UnidentifiedImageError

from ..errors import DomainError
from ..extensions import db
from ..fsutil import write_atomically
from ..models.certificate import Certificate
from ..models.file import StoredFile
from ..models.inspection import InspectionPhoto
from ..models.rectification import RectificationTask
from ..permissions import Permission
from ..tenancy import is_visible
from . import spreadsheets

IMAGE_TYPES = {"jpg": "image/jpeg", "png": "image/png"}
DOCUMENT_TYPES = {
    "pdf": "application/pdf",
    "doc": "application/msword",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xls": "application/vnd.ms-excel",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "ppt": "application/vnd.ms-powerpoint",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
}
MAX_IMAGE_SIDE = 2400


@dataclass(frozen=True)
class UploadKind:
    name: str
    limit_setting: str
    types: dict
    as_jpeg: bool = False
    # A workbook the portal reads (not only keeps): its parts' sizes are checked on upload.
    workbook: bool = False

    @property
    def limit_bytes(self):
        return current_app.config[self.limit_setting] * 1024 * 1024

    def describe(self):
        return "、".join(ext.upper() for ext in self.types)

    def input_attributes(self):
        """For the file input: what to offer, and the limit portal.js checks before sending."""
        extensions = ["." + ext for ext in self.types] + ([".jpeg"] if "jpg" in self.types else [])
        return {
            "accept": ",".join(extensions),
            "data-max-bytes": str(self.limit_bytes),
            "data-too-large": str(self.too_large_message()),
        }

    def too_large_message(self):
        return _l(
            "The file is larger than %(mb)d MB. Please choose a smaller file.",
            mb=current_app.config[self.limit_setting],
        )

    def description(self):
        return _l(
            "%(types)s, each at most %(mb)d MB.", types=self.describe(), mb=current_app.config[self.limit_setting]
        )


MATERIAL = UploadKind("material", "UPLOAD_LIMIT_MATERIAL_MB", DOCUMENT_TYPES | IMAGE_TYPES)
SCAN = UploadKind("scan", "UPLOAD_LIMIT_SCAN_MB", {"pdf": DOCUMENT_TYPES["pdf"]} | IMAGE_TYPES)
# Photos from a phone's camera; every one is stored as a JPEG of bounded size.
PHOTO = UploadKind("photo", "UPLOAD_LIMIT_PHOTO_MB", IMAGE_TYPES | {"webp": "image/webp"}, as_jpeg=True)
# A complaint's photo from a phone with no login (校园食安码): read by who answers complaints.
COMPLAINT_PHOTO = UploadKind("complaint_photo", "UPLOAD_LIMIT_PHOTO_MB", PHOTO.types, as_jpeg=True)
# Delivery tickets and certificates (索证索票): a scan or a photo of the paper.
TICKET = UploadKind("ticket", "UPLOAD_LIMIT_SCAN_MB", {"pdf": DOCUMENT_TYPES["pdf"]} | IMAGE_TYPES)
# The quarantine certificate (检疫合格证明) that comes with meat.
QUARANTINE = UploadKind("quarantine", "UPLOAD_LIMIT_SCAN_MB", {"pdf": DOCUMENT_TYPES["pdf"]} | IMAGE_TYPES)

# The student register's Excel export (.xlsx, or the older .xls many registers still write),
# kept as the evidence of what a roster import read.
ROSTER = UploadKind(
    "roster", "UPLOAD_LIMIT_MATERIAL_MB", {key: DOCUMENT_TYPES[key] for key in ("xlsx", "xls")}, workbook=True
)


def is_present(file_storage):
    return file_storage is not None and bool(getattr(file_storage, "filename", ""))


def check_upload(file_storage, kind):
    """Reads and checks the upload; returns (data, extension, content type)."""
    limit = kind.limit_bytes
    data = file_storage.stream.read(limit + 1)
    if len(data) > limit:
        raise DomainError(kind.too_large_message())
    if not data:
        raise DomainError(_l("The file is empty."))
    detected = filetype.guess(data)
    extension = detected.extension if detected else None
    if extension not in kind.types:
        raise DomainError(_l("This type of file is not accepted. Accepted: %(types)s.", types=kind.describe()))
    if kind.workbook:
        spreadsheets.check_workbook(io.BytesIO(data), _l("The file is not an Excel workbook (.xlsx or .xls)."))
    if kind.as_jpeg:
        return _clean_image(data, "jpg"), "jpg", IMAGE_TYPES["jpg"]
    if extension in IMAGE_TYPES:
        data = _clean_image(data, extension)
    return data, extension, kind.types[extension]


def store_upload(actor, school_id, file_storage, kind):
    data, extension, content_type = check_upload(file_storage, kind)
    storage_key = f"{school_id}/{uuid.uuid4().hex}.{extension}"
    write_atomically(absolute_path(storage_key), data)
    stored = StoredFile(
        school_id=school_id,
        purpose=kind.name,
        original_name=_display_name(file_storage.filename, extension),
        content_type=content_type,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        storage_key=storage_key,
        uploaded_by_id=getattr(actor, "id", None),
    )
    db.session.add(stored)
    return stored


def absolute_path(storage_key):
    return os.path.join(current_app.config["UPLOAD_FOLDER"], storage_key)


def _display_name(filename, extension):
    """The uploader's name for the file, kept for display only (never used as a path)."""
    name = os.path.basename((filename or "").replace("\\", "/")).strip() or f"file.{extension}"
    return name[:200]


def _clean_image(data, extension):
    """Re-encode as ``extension``: drops EXIF (a phone's GPS position included), applies
    the orientation, and bounds the size. The pixel count is read from the header and
    checked before anything is decoded: a small file can hold a picture that takes
    gigabytes to decode."""
    try:
        with Image.open(io.BytesIO(data)) as image:
            width, height = image.size
            if width * height > current_app.config["UPLOAD_MAX_MEGAPIXELS"] * 1_000_000:
                raise DomainError(
                    _l(
                        "The picture is %(width)d × %(height)d pixels, more than %(limit)d million: "
                        "take it again at a lower resolution.",
                        width=width,
                        height=height,
                        limit=current_app.config["UPLOAD_MAX_MEGAPIXELS"],
                    )
                )
            image = ImageOps.exif_transpose(image)
            image.thumbnail((MAX_IMAGE_SIDE, MAX_IMAGE_SIDE))
            out = io.BytesIO()
            if extension == "jpg":
                image.convert("RGB").save(out, "JPEG", quality=85, optimize=True)
            else:
                image.save(out, "PNG", optimize=True)
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError) as exc:
        raise DomainError(_l("The image could not be read.")) from exc
    return out.getvalue()


def can_download(user, stored):
    """Training materials: anyone of the school who reads training or their own records.
    Certificate scans: who reads certificates, and the holder."""
    if not is_visible(stored, user):
        return False
    if stored.purpose == MATERIAL.name:
        return user.can(Permission.TRAINING_READ) or user.can(Permission.OWN_RECORDS)
    if stored.purpose == PHOTO.name:
        if user.can(Permission.INSPECTION_READ) or user.can(Permission.INSPECTION_PERFORM):
            return True
        # Whoever must fix something sees the photos of that inspection.
        return bool(
            db.session.scalar(
                sa.select(sa.func.count())
                .select_from(InspectionPhoto)
                .join(
                    RectificationTask,
                    sa.or_(
                        RectificationTask.inspection_id == InspectionPhoto.inspection_id,
                        RectificationTask.id == InspectionPhoto.task_id,
                    ),
                )
                .where(InspectionPhoto.stored_file_id == stored.id, RectificationTask.responsible_id == user.id)
            )
        )
    if stored.purpose in (TICKET.name, QUARANTINE.name):
        return user.can(Permission.LEDGER_READ)
    if stored.purpose == COMPLAINT_PHOTO.name:
        return user.can(Permission.COMPLAINT_ANSWER)
    if stored.purpose == ROSTER.name:
        return user.can(Permission.STUDENT_READ)
    if stored.purpose == SCAN.name:
        if user.can(Permission.CERTIFICATE_READ):
            return True
        return (
            db.session.scalar(
                sa.select(sa.func.count()).where(Certificate.scan_id == stored.id, Certificate.holder_id == user.id)
            )
            > 0
        )
    return False
