"""Rules with their versions and acknowledgements."""

from flask import flash, g
from flask_admin.actions import action
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from markupsafe import Markup, escape
from wtforms import TextAreaField
from wtforms.validators import InputRequired, Optional

from ..fields import CheckboxListField, DayField
from ..login import current_actor as actor
from ..models import Rule, RuleAcknowledgement, RuleVersion
from ..models.rule import PostingLocation
from ..permissions import Permission
from ..services import rules
from .base import PortalModelView
from .registry import register_view


def _locations(view, context, model, name):
    return "、".join(str(label) for label in model.location_labels)


def _coverage(view, context, model, name):
    if not model.needs_acknowledgement:
        return "—"
    page = g.get("rule_coverage", {})
    ack, audience = page[model.id] if model.id in page else rules.coverage_of(model)
    return f"{ack}/{audience}"


def _history(view, context, model, name):
    parts = []
    for version in reversed(model.versions):
        parts.append(
            Markup(
                '<div class="rule-version"><strong>v{}</strong> · {} {}<div class="rule-body">{}</div></div>'
            ).format(version.number, _("effective"), version.effective_on.isoformat(), escape(version.body))
        )
    return Markup("").join(parts)


class RuleAdmin(PortalModelView):
    read_permission = Permission.RULE_READ
    write_permission = Permission.RULE_MANAGE

    column_list = ("title", "category", "status", "version_number", "effective_on", "posted_locations", "coverage")
    column_details_list = ("title", "category", "status", "posted_locations", "coverage", "history")
    column_export_list = (
        "title",
        "category",
        "status",
        "version_number",
        "effective_on",
        "posted_locations",
        "coverage",
        "body",
    )
    form_columns = ("title", "category", "posted_locations", "body", "effective_on")
    column_searchable_list = ("title",)
    column_sortable_list = ("title", "category", "status")
    column_filters = ("category", "status")
    column_default_sort = ("title", False)
    column_formatters = {"posted_locations": _locations, "coverage": _coverage}
    column_formatters_export = {
        "posted_locations": _locations,
        "coverage": _coverage,
        "body": lambda v, c, m, n: m.body,
        "version_number": lambda v, c, m, n: m.version_number,
        "effective_on": lambda v, c, m, n: m.effective_on,
    }
    column_formatters_detail = {"posted_locations": _locations, "coverage": _coverage, "history": _history}

    def get_list(self, *args, **kwargs):
        count, data = super().get_list(*args, **kwargs)
        if isinstance(data, list):  # a page, not an export's query: its coverage at once
            g.rule_coverage = rules.coverage_of_many(data)
        return count, data

    column_labels = {
        "version_number": _l("Version"),
        "effective_on": _l("Effective from"),
        "coverage": _l("Acknowledged"),
        "history": _l("Versions"),
        "body": _l("Text"),
    }
    form_overrides = {"posted_locations": CheckboxListField}
    form_args = {"posted_locations": {"choices": PostingLocation.choices, "validators": [Optional()]}}
    form_extra_fields = {
        "body": TextAreaField(_l("Text"), [InputRequired()], render_kw={"rows": 12}),
        "effective_on": DayField(
            _l("Effective from"),
            [Optional()],
            description=_l("Editing the text of a posted rule creates a new version; staff read it again."),
        ),
    }

    def apply_form(self, form, model):
        model.title = form.title.data
        model.category = form.category.data
        model.posted_locations = list(form.posted_locations.data or [])

    def save(self, form, model, before):
        rules.save_rule(actor(), model, before, body=form.body.data, effective_on=form.effective_on.data)

    def delete(self, model):
        rules.delete_rule(actor(), model)

    @action("post", _l("Post on the wall"), _l("Post the selected rules? Staff will be asked to read them."))
    def action_post(self, ids):
        changed = self.apply_to_rows(ids, rules.post_rule)
        if changed is not None:
            flash(_("%(count)d rules posted.", count=changed), "success")

    @action("retire", _l("Retire"), _l("Retire the selected rules?"))
    def action_retire(self, ids):
        changed = self.apply_to_rows(ids, rules.retire_rule)
        if changed is not None:
            flash(_("%(count)d rules retired.", count=changed), "success")


class RuleVersionAdmin(PortalModelView):
    """Every published text, readable as it was."""

    read_permission = Permission.RULE_READ
    allow_create = allow_edit = allow_delete = False

    column_list = ("rule", "number", "effective_on", "created_by", "created_at")
    column_details_list = ("rule", "number", "effective_on", "created_by", "created_at", "body")
    column_export_list = column_details_list
    form_columns = ()
    column_filters = ("rule.title", "effective_on")
    column_default_sort = ("created_at", True)
    column_labels = {"rule.title": _l("Rule")}


class RuleAcknowledgementAdmin(PortalModelView):
    read_permission = Permission.RULE_READ
    allow_create = allow_edit = allow_delete = False

    column_list = ("user", "rule_version", "acknowledged_at")
    column_details_list = column_list
    column_export_list = column_list
    form_columns = ()
    column_filters = ("user.display_name", "acknowledged_at")
    column_default_sort = ("acknowledged_at", True)
    column_labels = {"user.display_name": _l("Staff member")}


register_view(RuleAdmin, Rule, "rules", _l("Rules"))
register_view(RuleVersionAdmin, RuleVersion, "rule_versions", _l("Rule versions"))
register_view(RuleAcknowledgementAdmin, RuleAcknowledgement, "rule_acknowledgements", _l("Rule acknowledgements"))
