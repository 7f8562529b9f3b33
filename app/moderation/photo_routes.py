"""Moderator routes for photos: view, blur, rotate, and deletion confirmed by a second moderator."""

from flask import flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.auth.sessions import moderator_required
from app.errors import DomainError, NotFound, ValidationFailed
from app.moderation import bp, forms, photos
from app.photos.serving import photo_response


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
