"""The logistics office portal: create_app() reads like a table of contents."""

import os

from flask import Flask

from . import (
    admin,
    cli,
    config,
    database,
    due_rules,  # noqa: F401 - importing it registers the table of due rules
    error_pages,
    i18n,
    login,
    navigation,
    permissions,
    queue,
    request_limits,
    security,
    template_globals,
)
from .blueprints import (
    auth,
    canteen,
    compliance,
    dormitory,
    evidence,
    files,
    home,
    inspections,
    mine,
    notifications,
    nutrition,
    public,
    reminders,
    reports,
    signoff,
    stations,
    storeroom,
    surveys,
    tasks,
)
from .blueprints import ledgers as ledger_records
from .extensions import csrf, db, limiter, migrate


def create_app(test_config=None):
    app = Flask(__name__, instance_relative_config=True)
    config.load(app, test_config)

    db.init_app(app)
    database.init_app(app)
    queue.init_app(app)
    migrate.init_app(app, db, directory=os.path.join(os.path.dirname(app.root_path), "migrations"))
    security.init_app(app)
    request_limits.init_app(app)
    csrf.init_app(app)
    limiter.init_app(app)
    i18n.init_app(app)
    login.init_app(app)
    permissions.init_app(app)
    navigation.init_app(app)
    template_globals.init_app(app)

    app.register_blueprint(auth.bp)
    app.register_blueprint(home.bp)
    app.register_blueprint(mine.bp)
    app.register_blueprint(inspections.bp)
    app.register_blueprint(tasks.bp)
    app.register_blueprint(signoff.bp)
    app.register_blueprint(compliance.bp)
    app.register_blueprint(canteen.bp)
    app.register_blueprint(storeroom.bp)
    app.register_blueprint(nutrition.bp)
    app.register_blueprint(dormitory.bp)
    app.register_blueprint(surveys.bp)
    app.register_blueprint(public.bp)
    app.register_blueprint(ledger_records.bp)
    app.register_blueprint(notifications.bp)
    app.register_blueprint(reminders.bp)
    app.register_blueprint(evidence.bp)
    app.register_blueprint(reports.bp)
    app.register_blueprint(files.bp)
    app.register_blueprint(stations.bp)
    admin.init_admin(app)

    error_pages.init_app(app)
    cli.init_app(app)
    return app
