"""Certificate kinds (a managed list) and staff certificates."""

from flask import url_for
from flask_babel import lazy_gettext as _l
from markupsafe import Markup
from wtforms import FileField
from wtforms.validators import InputRequired, Optional

from ..login import current_actor as actor
from ..models import Certificate, CertificateKind
from ..permissions import Permission
from ..services import certificates, files, records
from ..timeutil import school_today
from .base import PortalModelView
from .registry import register_view

STATUS_CLASSES = {"valid": "success", "expiring": "warning", "expired": "danger"}


def _status(certificate):
    return certificate.status_on(school_today(certificate.school), certificate.school.settings.certificate_warning_days)


def _status_badge(view, context, model, name):
    status = _status(model)
    return Markup('<span class="badge badge-{}">{}</span>').format(STATUS_CLASSES[status.value], status.label)


def _scan_link(view, context, model, name):
    if model.scan is None:
        return ""
    return Markup('<a href="{}">{}</a>').format(
        url_for("files.download_file", file_id=model.scan_id), model.scan.original_name
    )


class CertificateKindAdmin(PortalModelView):
    read_permission = Permission.CERTIFICATE_READ
    write_permission = Permission.CERTIFICATE_MANAGE

    column_list = ("name", "required_for_food_handling", "valid_months")
    column_details_list = column_list
    column_export_list = column_list
    form_columns = column_list

    def save(self, form, model, before):
        certificates.save_kind(actor(), model, before)

    def delete(self, model):
        certificates.delete_kind(actor(), model)


class CertificateAdmin(PortalModelView):
    read_permission = Permission.CERTIFICATE_READ
    write_permission = Permission.CERTIFICATE_MANAGE

    column_list = ("holder", "kind", "number", "issued_on", "expires_on", "status")
    column_details_list = ("holder", "kind", "number", "issuing_authority", "issued_on", "expires_on", "status", "scan")
    column_export_list = ("holder", "kind", "number", "issuing_authority", "issued_on", "expires_on", "status")
    record_columns = ("holder", "kind", "number", "issuing_authority", "issued_on", "expires_on")
    form_columns = (*record_columns, "scan_upload")
    column_searchable_list = ("number", "holder.display_name")
    column_sortable_list = ("expires_on", "issued_on", "number", ("holder", "holder.name_pinyin"))
    column_filters = ("kind.name", "expires_on")
    column_default_sort = ("expires_on", False)
    column_formatters = {"status": _status_badge, "scan": _scan_link}
    column_formatters_export = {"status": lambda v, c, m, n: _status(m).label}
    column_formatters_detail = column_formatters
    column_labels = {"holder.display_name": _l("Holder"), "kind.name": _l("Kind"), "status": _l("Status")}
    form_args = {
        "issued_on": {"validators": [InputRequired()]},
        "expires_on": {"validators": [Optional()], "description": _l("Leave empty if it does not expire.")},
    }
    form_extra_fields = {
        "scan_upload": FileField(_l("Scan")),
    }

    @staticmethod
    def _fit_upload(form):
        form.scan_upload.render_kw = files.SCAN.input_attributes()
        form.scan_upload.description = files.SCAN.description()
        return form

    def create_form(self, obj=None):
        return self._fit_upload(super().create_form(obj))

    def edit_form(self, obj=None):
        return self._fit_upload(super().edit_form(obj))

    def apply_form(self, form, model):
        for name in self.record_columns:
            form[name].populate_obj(model, name)

    def save(self, form, model, before):
        certificates.save_certificate(actor(), model, before, scan_upload=form.scan_upload.data)

    def delete(self, model):
        records.delete_record(actor(), model)


register_view(CertificateAdmin, Certificate, "certificates", _l("Certificates"))
register_view(CertificateKindAdmin, CertificateKind, "certificate_kinds", _l("Kinds of certificate"))
