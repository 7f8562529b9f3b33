"""Sign-in (password, then TOTP; enrolment on first login), sign-out, password change and API tokens."""

from urllib.parse import urlsplit

import segno
from flask import Blueprint, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.auth import forms, services, sessions, tokens
from app.auth import second_factor as factors
from app.auth.sessions import moderator_required
from app.errors import DomainError
from app.extensions import limiter
from app.input_guards import has_control_characters

bp = Blueprint("auth", __name__)

ENROL_SECRET_KEY = "_totp_enrolment"  # noqa: S105  (the name of a session key)


def _is_local_path(target: str) -> bool:
    """A path on this site. Browsers drop tabs and newlines and read a backslash as a slash, so "/<tab>/x" is "//x"."""
    if "\\" in target or any(char.isspace() for char in target) or has_control_characters(target):
        return False
    parts = urlsplit(target)
    return not parts.scheme and not parts.netloc and target.startswith("/") and not target.startswith("//")


def _safe_next(target: str | None) -> str:
    """Only same-site paths; anything else goes to the queue."""
    if target and _is_local_path(target):
        return target
    return url_for("moderation.queue")


def login_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


@bp.route("/login", methods=["GET", "POST"])
# Per client (an HMAC of the address, never the address): guessing across many accounts from one place is slowed
# even though each account's own lock is not reached. Only POSTs count.
@limiter.limit(login_limit, methods=["POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("moderation.queue"))
    form = forms.LoginForm()
    if form.validate_on_submit():
        try:
            user = services.authenticate(form.email.data, form.password.data)
        except DomainError as error:
            flash(error.message, "error")
            return render_template("auth/login.html", form=form), error.status
        next_url = _safe_next(request.args.get("next"))
        sessions.start_pending_login(user)
        session["_next"] = next_url
        return redirect(url_for("auth.second_factor" if user.has_second_factor else "auth.enrol"))
    return render_template("auth/login.html", form=form)


@bp.route("/login/code", methods=["GET", "POST"])
def second_factor():
    user = sessions.pending_user()
    if user is None or not user.has_second_factor:
        return redirect(url_for("auth.login"))
    form = forms.CodeForm()
    if form.validate_on_submit():
        try:
            services.verify_second_factor(user, form.code.data)
        except DomainError as error:
            flash(error.message, "error")
            return render_template("auth/code.html", form=form), error.status
        next_url = session.get("_next")
        sessions.finish_login(user)
        return redirect(_safe_next(next_url))
    return render_template("auth/code.html", form=form)


@bp.route("/login/enrol", methods=["GET", "POST"])
def enrol():
    """First login: set up the authenticator app; the account cannot be used before this is done."""
    user = sessions.pending_user()
    if user is None or user.has_second_factor:
        return redirect(url_for("auth.login"))
    # The session cookie is signed, not encrypted: the secret travels in it sealed, like the stored one.
    secret = factors.opened_from_session(user, session.get(ENROL_SECRET_KEY)) or services.new_totp_secret()
    session[ENROL_SECRET_KEY] = factors.sealed_for_session(user, secret)
    form = forms.CodeForm()
    status = 200
    if form.validate_on_submit():
        try:
            services.enrol_second_factor(user, secret, form.code.data)
        except DomainError as error:
            flash(error.message, "error")
            status = error.status
        else:
            next_url = session.get("_next")
            sessions.finish_login(user)
            flash(_("Two-factor authentication is set up. Welcome."), "info")
            return redirect(_safe_next(next_url))
    uri = services.provisioning_uri(user, secret)
    qr_svg = segno.make(uri, error="m").svg_inline(scale=5, dark="#000", light="#fff", omitsize=False)
    return render_template("auth/enrol.html", form=form, qr_svg=qr_svg, secret=secret), status


@bp.post("/logout")
@moderator_required
def logout():
    services.end_all_sessions(current_user)
    sessions.end_session()
    flash(_("You are signed out on every device."), "info")
    return redirect(url_for("auth.login"))


@bp.route("/account", methods=["GET", "POST"])
@moderator_required
def account():
    form = forms.PasswordChangeForm()
    if form.validate_on_submit():
        try:
            services.change_password(current_user, form.current.data, form.new.data)
        except DomainError as error:
            flash(error.message, "error")
        else:
            sessions.end_session()
            flash(_("Password changed. Every session has ended; sign in with the new password."), "info")
            return redirect(url_for("auth.login"))
    return render_template(
        "auth/account.html",
        form=form,
        token_form=forms.TokenForm(),
        action_form=forms.ActionForm(),
        tokens=tokens.tokens_of(current_user),
    )


@bp.route("/account/password", methods=["GET", "POST"])
@moderator_required
def change_password():
    """Change the password and stay signed in here (other sessions end).

    Users who signed in with a one-time password are sent here, and nothing else works until they are done (sessions).
    """
    form = forms.PasswordChangeForm()
    status = 200
    if form.validate_on_submit():
        try:
            services.change_password(current_user, form.current.data, form.new.data)
        except DomainError as error:
            flash(error.message, "error")
            status = error.status
        else:
            user = current_user._get_current_object()
            sessions.finish_login(user)  # this session goes on with the rotated token; every other one has ended
            flash(_("Password changed. Every other session has ended."), "info")
            return redirect(_safe_next(request.args.get("next")))
    return render_template("auth/password.html", form=form), status


@bp.post("/account/tokens")
@moderator_required
def create_token():
    form = forms.TokenForm()
    if not form.validate_on_submit():
        if form.password.errors and not form.name.errors:
            flash(_("Enter your password to create a token."), "error")
        else:
            flash(_("Say what the token is for."), "error")
        return redirect(url_for("auth.account"))
    try:
        services.confirm_password(current_user, form.password.data)
    except DomainError as error:
        flash(error.message, "error")
        return redirect(url_for("auth.account"))
    _row, secret = tokens.create_token(current_user, form.name.data)
    return render_template("auth/token_created.html", secret=secret)


@bp.post("/account/tokens/<int:token_id>/revoke")
@moderator_required
def revoke_token(token_id: int):
    if forms.ActionForm().validate_on_submit():
        tokens.revoke_token(token_id, owner=current_user)
        flash(_("Token revoked."), "info")
    return redirect(url_for("auth.account"))
