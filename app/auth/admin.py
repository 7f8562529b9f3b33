"""Admin pages: invite moderators, disable or re-enable accounts, reset a lost second factor; what the base map is."""

from flask import Blueprint, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.auth import forms, services
from app.auth.sessions import admin_required
from app.basemap.services import current_base
from app.errors import DomainError
from app.vocabulary import Role

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.route("/users", methods=["GET", "POST"])
@admin_required
def users():
    form = forms.InviteForm()
    if form.validate_on_submit():
        try:
            user, password = services.invite(form.email.data, Role(form.role.data))
        except DomainError as error:
            flash(error.message, "error")
        else:
            return render_template("admin/invited.html", user=user, password=password)
    return render_template("admin/users.html", form=form, action_form=forms.ActionForm(), users=services.list_users())


def _action(user_id: int, do, done_message: str):
    if forms.ActionForm().validate_on_submit():
        try:
            user = do(user_id)
        except DomainError as error:
            flash(error.message, "error")
        else:
            flash(done_message % {"email": user.email}, "info")
    return redirect(url_for("admin.users"))


@bp.post("/users/<int:user_id>/disable")
@admin_required
def disable(user_id: int):
    return _action(user_id, lambda uid: services.set_active(uid, False, by=current_user), _("%(email)s is disabled."))


@bp.post("/users/<int:user_id>/enable")
@admin_required
def enable(user_id: int):
    return _action(user_id, lambda uid: services.set_active(uid, True, by=current_user), _("%(email)s is enabled."))


@bp.post("/users/<int:user_id>/reset-2fa")
@admin_required
def reset_second_factor(user_id: int):
    return _action(
        user_id,
        services.reset_second_factor,
        _("%(email)s sets up two-factor authentication again at the next sign-in."),
    )


@bp.get("/basemap")
@admin_required
def basemap():
    return render_template("admin/basemap.html", base=current_base(), basemap_file=current_app.config["BASEMAP_FILE"])
