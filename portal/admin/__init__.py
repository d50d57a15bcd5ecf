"""Flask-Admin: built per app (a module-level Admin breaks a second create_app()),
every view on the gated, school-scoped base, every endpoint's permission registered."""

import os

from flask import redirect, url_for
from flask_admin import Admin, AdminIndexView, expose
from flask_admin.theme import Bootstrap4Theme
from flask_babel import lazy_gettext as _l

from ..permissions import Access, register_endpoint

# Each module registers its views (registry.py) as it is imported: the table of contents.
from . import (  # noqa: F401 - imported for their registrations
    audit,
    canteen,
    certificates,
    checklists,
    committee,
    dormitory,
    food_safety,
    inspections,
    nutrition,
    planning,
    rules,
    schools,
    storeroom,
    surveys,
    tasks,
    training,
    users,
)
from .registry import all_views

READ_VIEWS = frozenset({"index_view", "details_view", "export"})
# Bootswatch swatches bundled with Flask-Admin that load nothing from the internet; the
# others pull Google Fonts, which schools in mainland China cannot reach.
OFFLINE_SWATCHES = frozenset({"default", "cerulean", "litera", "pulse", "slate"})


class HomeRedirectView(AdminIndexView):
    """/admin/ is not a page of its own: the portal's home page is."""

    @expose("/")
    def index(self):
        return redirect(url_for("home.show_home"))


def init_admin(app):
    swatch = app.config["FLASK_ADMIN_SWATCH"]
    if swatch not in OFFLINE_SWATCHES:
        raise RuntimeError(f"FLASK_ADMIN_SWATCH={swatch!r} loads web fonts; use one of {sorted(OFFLINE_SWATCHES)}")
    admin = Admin(
        app,
        name=_l("Logistics Portal"),
        theme=Bootstrap4Theme(
            base_template="admin/portal_base.html",
            swatch=swatch,
            fluid=app.config["FLASK_ADMIN_FLUID_LAYOUT"],
        ),
        index_view=HomeRedirectView(url="/admin"),
        translations_path=os.path.join(app.root_path, "translations"),
    )
    register_endpoint(app, "admin.index", Access.AUTHENTICATED)
    for view_class, model, endpoint, name in all_views():
        view = view_class(model, name=name, endpoint=endpoint)
        admin.add_view(view)
        _register_permissions(app, view)
    return admin


def _register_permissions(app, view):
    for _url, method_name, _methods in view._urls:
        register_endpoint(app, f"{view.endpoint}.{method_name}", _requirement(view, method_name))


def _requirement(view, method_name):
    """Reading needs the read permission; each kind of change needs the write permission
    and a view that allows it at all. What a view never allows is refused to everyone."""
    if method_name in READ_VIEWS:
        return view.read_permission
    allowed = {
        "create_view": view.allow_create,
        "edit_view": view.allow_edit,
        "delete_view": view.allow_delete,
        "action_view": view.allow_delete or any(name != "delete" for name, _text in view._actions),
    }.get(method_name, True)
    if view.write_permission is None or not allowed:
        return Access.NOBODY
    return view.write_permission
