"""Moderator pages of a verified camera: its log, its status (removed, needing a re-survey, active), its fields."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.auth.sessions import moderator_required
from app.database import get_or_404
from app.errors import DomainError, ValidationFailed
from app.input_guards import database_id, whole_number
from app.models import Camera
from app.moderation import bp, camera_edits, events, forms, services
from app.vocabulary import DESCRIPTION_FIELDS, CameraStatus, Capability


@bp.get("/moderation/cameras/<int:camera_id>")
@moderator_required
def camera(camera_id: int):
    found = get_or_404(Camera, camera_id)
    form = forms.CameraStatusForm(formdata=None, version=found.version)
    form.status.choices = forms.choices([(s.value, s.label) for s in CameraStatus if s is not found.status])
    fields = camera_edits.camera_fields(found)
    return render_template(
        "moderation/camera.html",
        camera=found,
        form=form,
        edit_form=forms.edit_form_for(found, fields["lon"], fields["lat"]),
        edit_action=url_for("moderation.edit_camera", camera_id=camera_id),
        description_fields=DESCRIPTION_FIELDS,
        capabilities=Capability,
        claims={claim.capability: claim.evidence for claim in found.capabilities},
        evidence_choices=forms.capability_choices(),
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


@bp.post("/moderation/cameras/<int:camera_id>/edit")
@moderator_required
def edit_camera(camera_id: int):
    """Correct a verified camera's fields, claims or position; the log keeps its fields before and after."""
    form = forms.EditForm()
    try:
        if not form.validate_on_submit():
            raise ValidationFailed(_("The form is incomplete."))
        try:
            claims = forms.capabilities_from(request.form)
        except ValueError as error:
            raise ValidationFailed(_("Unknown evidence level.")) from error
        version = whole_number(form.version.data)
        camera_edits.edit_camera(camera_id, form.changes(), claims, current_user, form.reason.data, version)
    except DomainError as error:
        flash(error.message, "error")
    else:
        flash(_("Camera corrected."), "info")
    return redirect(url_for("moderation.camera", camera_id=camera_id), 303)
