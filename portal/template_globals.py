"""The enums templates compare statuses with (``task.status == TaskStatus.OPEN``), so that no
template compares a status with its stored string."""

from . import models

ENUMS = (
    models.AssignmentState,
    models.AttendanceStatus,
    models.CertificateStatus,
    models.ChangeKind,
    models.ExportFormat,
    models.InspectionStatus,
    models.ItemResult,
    models.MessageStatus,
    models.QuestionKind,
    models.TaskStatus,
)


def init_app(app):
    app.jinja_env.globals.update({enum.__name__: enum for enum in ENUMS})
