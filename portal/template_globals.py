"""The enums templates compare statuses with (``task.status == TaskStatus.OPEN``), so that no
template compares a status with its stored string."""

from .models import (
    AssignmentState,
    AttendanceStatus,
    CertificateStatus,
    ExportFormat,
    InspectionStatus,
    ItemResult,
    MessageStatus,
    QuestionKind,
    TaskStatus,
)

ENUMS = (
    AssignmentState,
    AttendanceStatus,
    CertificateStatus,
    ExportFormat,
    InspectionStatus,
    ItemResult,
    MessageStatus,
    QuestionKind,
    TaskStatus,
)


def init_app(app):
    app.jinja_env.globals.update({enum.__name__: enum for enum in ENUMS})
