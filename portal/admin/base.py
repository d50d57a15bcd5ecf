"""The one base for every Flask-Admin view: gated, school-scoped, allow-listed, audited.

Closes the Flask-Admin 2.x traps (each is in the README's Security section):
- row scoping covers the list, the count, ``get_one`` (edit, details, delete, actions)
  and every relationship picker, and a row of another school is a 404;
- ``POST .../ajax/update/`` (upstream issue 2129) is refused: no view edits inline;
- create/edit/delete/export are properties of the current user, never assigned;
- list, details, export and form columns are allow-lists, checked at start-up;
- exports carry a byte-order mark, keep Chinese file names, neutralise formula cells
  and stop at a row cap;
- saving goes through the domain services, which check the rules and write the audit
  event in the same transaction.
"""

from datetime import datetime, time

import sqlalchemy as sa
from flask import abort, current_app, flash, request
from flask_admin.actions import action
from flask_admin.contrib.sqla import ModelView
from flask_admin.contrib.sqla.form import AdminModelConverter
from flask_admin.model import typefmt
from flask_admin.model.form import converts
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_fresh
from sqlalchemy.exc import IntegrityError, StatementError
from sqlalchemy.orm import Query
from wtforms import SelectField
from wtforms.validators import InputRequired, Optional

from ..errors import DomainError, NotFound
from ..extensions import db, login_manager
from ..fields import DayField
from ..i18n import viewer_zone
from ..labels import path_label
from ..login import current_actor as actor
from ..models.ledger import LockedRecordError
from ..models.tenancy import CrossSchoolReference
from ..models.types import LabelledEnum
from ..models.user import User
from ..outcome import CONFLICT
from ..permissions import has_permission
from ..services import audit
from ..services.ledgers import LOCKED
from ..tenancy import get_or_404, scope
from .exports import Exports
from .filters import FilterConverter, SchoolEqual


class EnumSelectField(SelectField):
    """A select over a LabelledEnum: translated labels shown, enum members stored."""

    def __init__(self, enum_class, label=None, validators=None, allow_blank=False, **kwargs):
        kwargs.pop("coerce", None)

        def choices():
            return ([("", "")] if allow_blank else []) + enum_class.choices()

        super().__init__(
            label,
            validators,
            coerce=lambda value: enum_class(value) if value not in (None, "") else None,
            choices=choices,
            **kwargs,
        )


class ScopedModelConverter(AdminModelConverter):
    """Relationship pickers list only rows the user may see, and only active users."""

    def _model_select_field(self, prop, multiple, remote_model, **kwargs):
        def scoped_query():
            query = scope(db.session.query(remote_model), remote_model)
            if remote_model is User:
                query = query.filter(User.active.is_(True)).order_by(User.name_pinyin, User.id)
            return query

        kwargs["query_factory"] = scoped_query
        # WTForms shows an option without a label by its value: the blank one would read __None.
        kwargs.setdefault("blank_text", "—")
        return super()._model_select_field(prop, multiple, remote_model, **kwargs)

    @converts("Date")
    def convert_date(self, field_args, **extra):
        return DayField(**field_args)

    @converts("sqlalchemy.sql.sqltypes.Enum")
    def convert_enum(self, column, field_args, **extra):
        enum_class = column.type.enum_class
        if enum_class is None or not issubclass(enum_class, LabelledEnum):
            return super().convert_enum(column, field_args, **extra)
        field_args["validators"].append(Optional() if column.nullable else InputRequired())
        return EnumSelectField(enum_class, allow_blank=column.nullable, **field_args)


def _enum_label(view, value, name=None):
    return value.label if isinstance(value, LabelledEnum) else value


def _bool_label(view, value, name=None):
    return _("Yes") if value else _("No")


def _school_time(view, value, name=None):
    return value.astimezone(viewer_zone()).strftime("%Y-%m-%d %H:%M")


def _clock_time(view, value, name=None):
    return value.strftime("%H:%M")


def _formatters(defaults):
    """Ours first: Flask-Admin takes the first formatter whose type matches."""
    ours = {LabelledEnum: _enum_label, bool: _bool_label, datetime: _school_time, time: _clock_time}
    return ours | {kind: formatter for kind, formatter in defaults.items() if kind not in ours}


class BoundedCount(Query):
    """A list's count that stops at a bound: no page counts a whole large table."""

    bound = 0

    def scalar(self):
        rows = self.with_entities(sa.literal(1)).limit(self.bound + 1).subquery()
        return self.session.scalar(sa.select(sa.func.count()).select_from(rows))


def is_indexed(column):
    """Whether a sort on this column can read an index in order (primary key or the leading
    column of an index)."""
    column = getattr(column, "expression", column)
    table = getattr(column, "table", None)
    if table is None or not isinstance(column, sa.Column):
        return False
    leading = [next(iter(index.columns), None) for index in table.indexes]
    leading += [next(iter(c.columns), None) for c in table.constraints if isinstance(c, sa.UniqueConstraint)]
    return column.primary_key or column.index or column.unique or any(first is column for first in leading)


def _field_labels(model, view):
    """{name: label} for every field the view shows, filters or edits: each field's own label,
    declared once on its column (models/types.label); the view's column_labels name the rest
    (what a formatter computes, a form's extra field)."""
    names = {name for name in sa.inspect(model).attrs.keys()}
    for allow_list in ("column_list", "column_details_list", "column_export_list", "column_searchable_list"):
        names |= {name for name in getattr(view, allow_list, None) or () if isinstance(name, str)}
    names |= {name for name in view.column_filters or () if isinstance(name, str)}
    found = {name: path_label(model, name) for name in names}
    return {name: label for name, label in found.items() if label is not None}


class PortalModelView(Exports, ModelView):
    # What reading the view needs, and what changing anything in it needs.
    read_permission = None
    write_permission = None
    # Endpoints (by view method name) that need a recent password entry.
    fresh_login_views = frozenset()
    # Per view, what the write permission allows at all.
    allow_create = True
    allow_edit = True
    allow_delete = True
    allow_export = True

    model_form_converter = ScopedModelConverter
    filter_converter = FilterConverter()
    can_view_details = True
    can_set_page_size = False
    column_display_pk = False
    column_editable_list = ()
    export_types = ["xlsx", "csv"]
    details_modal = False
    edit_modal = False
    create_modal = False
    column_type_formatters = _formatters(typefmt.BASE_FORMATTERS)
    column_type_formatters_export = _formatters(typefmt.EXPORT_FORMATTERS)
    column_type_formatters_detail = _formatters(typefmt.DETAIL_FORMATTERS)

    def __init__(self, model, **kwargs):
        for allow_list in ("column_list", "column_details_list", "column_export_list", "form_columns"):
            if getattr(self, allow_list, None) is None:
                raise TypeError(f"{type(self).__name__} must set {allow_list} (allow-lists only)")
        if self.read_permission is None:
            raise TypeError(f"{type(self).__name__} must declare read_permission")
        if "school_id" in model.__table__.c:
            self.column_filters = (*(self.column_filters or ()), SchoolEqual(model.school_id, _l("School")))
        self.column_labels = _field_labels(model, self) | dict(self.column_labels or {})
        super().__init__(model, db, **kwargs)

    # --- who may do what ----------------------------------------------------------------

    def _may_write(self):
        return self.write_permission is not None and has_permission(current_user, self.write_permission)

    @property
    def can_create(self):
        return self.allow_create and self._may_write()

    @property
    def can_edit(self):
        return self.allow_edit and self._may_write()

    @property
    def can_delete(self):
        return self.allow_delete and self._may_write()

    @property
    def can_export(self):
        return self.allow_export and has_permission(current_user, self.read_permission)

    @property
    def export_max_rows(self):
        return current_app.config["EXPORT_MAX_ROWS"]

    @property
    def page_size(self):
        return current_app.config["ADMIN_PAGE_SIZE"]

    def is_accessible(self):
        return current_user.is_authenticated and has_permission(current_user, self.read_permission)

    def inaccessible_callback(self, name, **kwargs):
        if not current_user.is_authenticated:
            return login_manager.unauthorized()
        abort(403)

    def _handle_view(self, name, **kwargs):
        refused = super()._handle_view(name, **kwargs)
        if refused is not None:
            return refused
        if name in self.fresh_login_views and not login_fresh():
            return login_manager.needs_refresh()
        return None

    # --- what the URL asks for -----------------------------------------------------------

    # Deeper pages are reached by narrowing the list with a filter or a search: a list
    # counts and pages through at most MAX_PAGES pages, however large the table.
    MAX_PAGES = 50
    # Loader options for the related rows the list's columns show (one query each).
    list_loading = ()

    @property
    def row_bound(self):
        return self.MAX_PAGES * self.page_size

    def _get_list_extra_args(self):
        """Page numbers past the end or below zero would reach the database as offsets it
        refuses (or that overflow): keep them in range."""
        view_args = super()._get_list_extra_args()
        view_args.page = min(max(view_args.page or 0, 0), self.MAX_PAGES - 1)
        return view_args

    def get_list(self, *args, **kwargs):
        count, rows = super().get_list(*args, **kwargs)
        on_the_page = request.endpoint == f"{self.endpoint}.index_view"  # not an export
        if count is not None and count > self.row_bound and on_the_page:
            flash(_("More than %(count)d records: narrow the list with a filter or a search.", count=self.row_bound))
            count = self.row_bound
        return count, rows

    # {a list column: the model's column it sorts by}: a person's name by its pinyin.
    column_sorted_by = {}

    def get_sortable_columns(self):
        """Only sorts an index serves are offered (tests/test_admin_lists.py)."""
        sortable = super().get_sortable_columns() | {
            name: getattr(self.model, other) for name, other in self.column_sorted_by.items()
        }
        return {name: column for name, column in sortable.items() if is_indexed(column)}

    # --- row scoping --------------------------------------------------------------------

    def get_query(self):
        return scope(super().get_query(), self.model).options(*self.list_loading)

    def get_count_query(self):
        query = BoundedCount([sa.func.count("*")], session=db.session).select_from(self.model)
        query.bound = self.row_bound
        return scope(query, self.model)

    def get_one(self, id):
        return get_or_404(self.model, id)

    def get_rows_for_action(self, ids):
        """Rows of a bulk action, each one checked like get_one: a foreign id is a 404."""
        return [self.get_one(record_id) for record_id in ids]

    # --- inline editing is refused (Flask-Admin issue 2129) --------------------------------

    def ajax_update(self):
        abort(404)

    # --- saving through the services ----------------------------------------------------

    def apply_form(self, form, model):
        form.populate_obj(model)

    def save(self, form, model, before):
        """Check the domain rules and record the change. Subclasses call their service."""
        raise NotImplementedError

    def delete(self, model):
        raise NotImplementedError

    def create_model(self, form):
        return self._save(form, self.build_new_instance(), before=None)

    def update_model(self, form, model):
        return self._save(form, model, before=audit.snapshot(model))

    def _save(self, form, model, before):
        try:
            self.apply_form(form, model)
            model = self.save(form, model, before) or model
            db.session.commit()
        except Exception as exc:  # noqa: BLE001 - every failure is reported and rolled back
            db.session.rollback()
            self._report_failure(exc, form)
            return False
        return model

    def delete_model(self, model):
        try:
            self.delete(model)
            db.session.commit()
        except Exception as exc:  # noqa: BLE001
            db.session.rollback()
            self._report_failure(exc)
            return False
        return True

    def _report_failure(self, exc, form=None):
        if isinstance(exc, NotFound) or isinstance(exc, CrossSchoolReference):
            current_app.logger.warning("cross-school write refused: %s", exc)
            abort(404)
        if isinstance(exc, DomainError):
            message = exc.message
        elif isinstance(exc, LockedRecordError):
            message = LOCKED
            if form is not None and exc.field and exc.field in form:
                form[exc.field].errors = list(form[exc.field].errors or []) + [message]
        elif isinstance(exc, IntegrityError):
            message = CONFLICT
        elif isinstance(exc, StatementError):
            message = _l("A value was not accepted by the database. Please check the form.")
        else:
            raise exc
        flash(message, "error")

    # --- bulk delete through the same path as a single delete ------------------------------

    @action("delete", _l("Delete"), _l("Are you sure you want to delete the selected records?"))
    def action_delete(self, ids):
        rows = self.get_rows_for_action(ids)
        deleted = 0
        for row in rows:
            if not self.delete_model(row):
                break
            deleted += 1
        if deleted:
            flash(_("%(count)d records were deleted.", count=deleted), "success")

    def apply_to_rows(self, ids, service_function):
        """A bulk action: the service on every chosen row (each checked like get_one), all
        or nothing. Returns how many rows changed, or None when a row was refused."""
        try:
            rows = self.get_rows_for_action(ids)
            for row in rows:
                service_function(actor(), row)
            db.session.commit()
        except DomainError as exc:
            db.session.rollback()
            flash(exc.message, "error")
            return None
        return len(rows)

    def is_action_allowed(self, name):
        if name == "delete":
            return self.can_delete
        return self._may_write() and super().is_action_allowed(name)

    def handle_action(self, return_view=None):
        """An action this view does not allow (or none) is refused, not quietly skipped."""
        if not self.is_action_allowed(request.form.get("action", "")):
            abort(403)
        return super().handle_action(return_view)
