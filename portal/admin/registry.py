"""The admin views, registered by the module that defines each: a ledger's under its kind's
key and name (models/registry.py), every other under an endpoint and a menu name of its own."""

from ..models.registry import KINDS

# (view class, model, endpoint, menu name), in the order registered.
VIEWS = []


def register_view(view_class, model, endpoint, name):
    if any(endpoint == registered for _view, _model, registered, _name in VIEWS):
        raise ValueError(f"an admin endpoint is registered twice: {endpoint}")
    VIEWS.append((view_class, model, endpoint, name))


def register_ledger_view(view_class, key):
    kind = KINDS[key]
    register_view(view_class, kind.model, key, kind.name)


def all_views():
    return list(VIEWS)
