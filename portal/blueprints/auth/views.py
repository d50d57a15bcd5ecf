"""Login, logout, re-authentication, password change and language."""

from flask import current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import confirm_login, current_user, login_user, logout_user

from ... import throttle
from ...audit_text import describe_account_change
from ...errors import DomainError
from ...extensions import db
from ...i18n import SESSION_KEY
from ...login import current_actor, is_safe_redirect, mark_fresh
from ...permissions import login_required_only, public
from ...security import start_session
from ...services import users
from ...throttle import Throttled
from . import bp
from .forms import ChangePasswordForm, LanguageForm, LoginForm, ReauthenticateForm


def _next_url(candidate):
    return candidate if is_safe_redirect(candidate) else url_for("home.show_home")


@bp.route("/login", methods=["GET", "POST"])
@public
def login():
    form = LoginForm(next=request.args.get("next", ""))
    if current_user.is_authenticated and request.method == "GET":
        return redirect(_next_url(form.next.data))
    if form.validate_on_submit():
        try:
            user = users.authenticate(form.username.data, form.password.data)
        except Throttled as exc:
            flash(exc.message, "error")
            return render_template("auth/login.html", form=form), 429
        if user is None:
            flash(_("Wrong username or password, or the account is deactivated."), "error")
            return render_template("auth/login.html", form=form)
        notices = [describe_account_change(event) for event in users.changes_by_others(user, user.last_login_at)]
        users.record_login(user, form.password.data)
        db.session.commit()
        session.clear()
        if user.locale:
            session[SESSION_KEY] = user.locale
        login_user(user)
        mark_fresh()
        start_session()
        for notice in notices:
            flash(notice, "warning")
        target = url_for("auth.change_password") if user.password_reset_required else _next_url(form.next.data)
        return throttle.remember_device(redirect(target), user.username)
    return render_template("auth/login.html", form=form)


@bp.route("/logout", methods=["POST"])
@login_required_only
def logout():
    users.logout(current_actor())
    db.session.commit()
    logout_user()
    session.clear()
    flash(_("You have logged out. Every session of your account has ended."), "info")
    return redirect(url_for("auth.login"))


@bp.route("/reauthenticate", methods=["GET", "POST"])
@login_required_only
def reauthenticate():
    form = ReauthenticateForm(next=request.args.get("next", ""))
    if form.validate_on_submit():
        try:
            user = users.authenticate(current_user.username, form.password.data)
        except Throttled as exc:
            flash(exc.message, "error")
            return render_template("auth/reauthenticate.html", form=form), 429
        if user is None or user.id != current_user.id:
            flash(_("The password is not correct."), "error")
            return render_template("auth/reauthenticate.html", form=form)
        confirm_login()
        mark_fresh()
        return redirect(_next_url(form.next.data))
    return render_template("auth/reauthenticate.html", form=form)


@bp.route("/password", methods=["GET", "POST"])
@login_required_only
def change_password():
    form = ChangePasswordForm()
    if form.validate_on_submit():
        user = current_actor()
        try:
            users.change_own_password(user, form.current_password.data, form.password.data)
        except DomainError as exc:
            db.session.rollback()
            throttled = isinstance(exc, Throttled)
            field = form.current_password if throttled or exc.field == "current_password" else form.password
            field.errors.append(exc.message)
            return render_template("auth/change_password.html", form=form), 429 if throttled else 200
        db.session.commit()
        # Every other session ended with the old token; this one continues with the new.
        login_user(user)
        mark_fresh()
        flash(_("Your password was changed. Other sessions of your account have ended."), "success")
        return redirect(url_for("home.show_home"))
    return render_template("auth/change_password.html", form=form)


@bp.route("/language", methods=["POST"])
@public
def set_language():
    form = LanguageForm()
    form.locale.choices = list(current_app.config["LANGUAGES"].items())
    if form.validate_on_submit():
        session[SESSION_KEY] = form.locale.data
        if current_user.is_authenticated:
            users.set_locale(current_actor(), form.locale.data)
            db.session.commit()
    return redirect(_next_url(form.next.data))
