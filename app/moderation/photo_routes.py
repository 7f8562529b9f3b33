"""Moderator routes for photos (view, blur, rotate, two-moderator deletion), cameras and the audit log."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.auth.sessions import admin_required, moderator_required
from app.database import get_or_404
from app.errors import DomainError, NotFound, ValidationFailed
from app.input_guards import database_id, whole_number
from app.models import Camera
from app.moderation import events, forms, photos, services
from app.moderation.routes import bp
from app.photos.serving import photo_response
from app.vocabulary import CameraStatus

AUDIT_PAGE = 200


@bp.get("/moderation/photos/<int:photo_id>/<any(display, thumb):variant>")
@moderator_required
def photo(photo_id: int, variant: str):
    return photo_response(photos.find_photo(photo_id), variant)


def _back_to(photo_id: int):
    sighting_id = photos.find_photo(photo_id).sighting_id
    return redirect(url_for("moderation.item", sighting_id=sighting_id) + f"#photo-{photo_id}", 303)


def _photo_action(photo_id: int, form, do, done: str):
    try:
        if not form.validate_on_submit():
            raise ValidationFailed(_("The form is incomplete."))
        do()
    except DomainError as error:
        flash(error.message, "error")
    else:
        flash(done, "info")
    try:
        return _back_to(photo_id)
    except NotFound:  # the photo was just deleted
        return redirect(request.form.get("back") or url_for("moderation.queue"), 303)


@bp.post("/moderation/photos/<int:photo_id>/blur")
@moderator_required
def blur(photo_id: int):
    form = forms.BlurForm()
    return _photo_action(
        photo_id,
        form,
        lambda: photos.blur(photo_id, photos.parse_regions(form.regions.data), current_user, form.sha256.data),
        _("The marked areas are blurred; the unblurred photo is deleted."),
    )


@bp.post("/moderation/photos/<int:photo_id>/rotate")
@moderator_required
def rotate(photo_id: int):
    form = forms.RotateForm()
    return _photo_action(
        photo_id,
        form,
        lambda: photos.rotate(photo_id, int(form.degrees.data), current_user, form.sha256.data),
        _("Photo rotated."),
    )


@bp.post("/moderation/photos/<int:photo_id>/delete-request")
@moderator_required
def request_deletion(photo_id: int):
    form = forms.DeletionRequestForm()
    return _photo_action(
        photo_id,
        form,
        lambda: photos.request_deletion(photo_id, current_user, form.reason.data),
        _("Deletion requested. A second moderator must confirm it."),
    )


@bp.post("/moderation/photos/<int:photo_id>/delete-confirm")
@moderator_required
def confirm_deletion(photo_id: int):
    sighting_id = photos.find_photo(photo_id).sighting_id
    form = forms.ActionForm()
    try:
        if not form.validate_on_submit():
            raise ValidationFailed(_("The form is incomplete."))
        photos.confirm_deletion(photo_id, current_user)
    except DomainError as error:
        flash(error.message, "error")
    else:
        flash(_("The photo is deleted for good."), "info")
    return redirect(url_for("moderation.item", sighting_id=sighting_id), 303)


@bp.post("/moderation/photos/<int:photo_id>/delete-cancel")
@moderator_required
def cancel_deletion(photo_id: int):
    return _photo_action(
        photo_id,
        forms.ActionForm(),
        lambda: photos.cancel_deletion(photo_id, current_user),
        _("Deletion request withdrawn."),
    )


@bp.get("/moderation/cameras/<int:camera_id>")
@moderator_required
def camera(camera_id: int):
    found = get_or_404(Camera, camera_id)
    form = forms.CameraStatusForm(formdata=None, version=found.version)
    form.status.choices = forms.choices([(s.value, s.label) for s in CameraStatus if s is not found.status])
    return render_template(
        "moderation/camera.html",
        camera=found,
        form=form,
        history=services.public_history(camera_id),
        events=events.list_events(camera_id=camera_id, limit=100),
    )


@bp.post("/moderation/cameras/<int:camera_id>/status")
@moderator_required
def camera_status(camera_id: int):
    form = forms.CameraStatusForm()
    form.status.choices = forms.choices(CameraStatus.choices())
    try:
        if not form.validate_on_submit():
            raise ValidationFailed(_("Choose a status and give a reason."))
        version = whole_number(form.version.data)
        services.set_camera_status(camera_id, form.status.data, current_user, form.reason.data, version)
    except DomainError as error:
        flash(error.message, "error")
    else:
        flash(_("Camera status changed."), "info")
    sighting = request.form.get("sighting", "")  # sent from an "it is gone" report: back to that report
    if (sighting_id := database_id(sighting)) is not None:
        return redirect(url_for("moderation.item", sighting_id=sighting_id), 303)
    return redirect(url_for("moderation.camera", camera_id=camera_id), 303)


@bp.get("/admin/audit")
@admin_required
def audit():
    moderator = request.args.get("moderator", "")
    camera_id = request.args.get("camera", "")
    moderator_id = database_id(moderator)
    camera_filter = database_id(camera_id)
    before = request.args.get("before", "")
    page = events.list_events(
        moderator_id=moderator_id,
        camera_id=camera_filter,
        before_id=database_id(before),
        limit=AUDIT_PAGE,
    )
    return render_template(
        "moderation/audit.html",
        events=page,
        older=page[-1].id if len(page) == AUDIT_PAGE else None,
        moderators=events.moderators_in_log(),
        moderator_id=moderator_id,
        camera_id=camera_filter,
        broken_at=events.verify_chain(),
    )
