"""The moderation queue and the decisions on a sighting (HTML). Views parse, call one service, render or redirect."""

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from app.auth.sessions import moderator_required
from app.database import get_or_404
from app.errors import DomainError, ValidationFailed
from app.input_guards import database_id, whole_number
from app.maps.config import map_config
from app.models import Sighting
from app.moderation import bp, camera_edits, claims, forms, photos, queue, services
from app.vocabulary import (
    DESCRIPTION_FIELDS,
    FIELD_VOCABULARIES,
    CameraStatus,
    Capability,
    RejectReason,
    SightingKind,
    SightingState,
)

# A decision started by a single key waits this long, cancellable, before its form is sent: the log is append-only,
# so there is no undo for a stray key press.
DECISION_DELAY_SECONDS = 5


@bp.app_template_global("reject_label")
def reject_label(code: str | None) -> str:
    try:
        return RejectReason(code).label
    except ValueError:
        return code or ""


def _municipality_filter() -> int | None:
    return database_id(request.args.get("municipality", ""))


@bp.get("/moderation", endpoint="queue")
@moderator_required
def queue_page():
    municipality_id = _municipality_filter()
    total, per_municipality = queue.pending_counts()
    sightings = queue.pending_sightings(municipality_id)
    return render_template(
        "moderation/queue.html",
        sightings=sightings,
        looking=claims.others_looking([sighting.id for sighting in sightings], current_user),
        total=total,
        per_municipality=per_municipality,
        municipality_id=municipality_id,
        bulk_form=forms.BulkRejectForm(),
    )


def _gone_form(sighting) -> forms.CameraStatusForm | None:
    """For an "it is gone" report: mark the named camera removed or needing a re-survey (None if already removed)."""
    camera = sighting.confirms_camera
    if camera is None or not camera.on_map:
        return None
    form = forms.CameraStatusForm(
        formdata=None,
        version=camera.version,
        reason=_("Reported gone in sighting %(reference)s.", reference=sighting.reference),
    )
    offered = (CameraStatus.REMOVED, CameraStatus.NEEDS_RESURVEY)
    form.status.choices = forms.choices([(s.value, s.label) for s in offered if s is not camera.status])
    return form


def _camera_beside(sighting) -> dict | None:
    """The camera a report names (a correction, a "saw it too"), as it is now, to compare field by field."""
    camera = sighting.confirms_camera
    if camera is None:
        return None
    now, proposed = camera_edits.camera_fields(camera), camera_edits.proposed_fields(sighting)
    rows = []
    for name, label in forms.take_choices():
        keys = ("lat", "lon") if name == camera_edits.POSITION else (name,)
        before, after = [now[key] for key in keys], [proposed[key] for key in keys]
        differs = before != after
        suggested = differs and sighting.kind is SightingKind.CORRECTION and None not in after and after != [{}]
        rows.append(
            {"name": name, "label": label, "now": before, "proposed": after, "differs": differs, "suggested": suggested}
        )
    return {"camera": camera, "rows": rows}


def render_item(sighting_id: int, status: int = 200, **overrides):
    sighting = get_or_404(Sighting, sighting_id)
    municipality_id = _municipality_filter()
    place = queue.nearby(sighting)
    merge_form = forms.MergeForm(formdata=None, version=sighting.version)
    gone = sighting.reports_gone
    if sighting.kind is SightingKind.CORRECTION:
        merge_form.submit.label.text = _("Accept the correction")
    if not gone:  # a report that a camera is gone must not be counted as one more confirmation of it
        merge_form.camera_id.data = sighting.confirms_camera_id or (
            place["cameras"][0]["id"] if place["cameras"] else None
        )
    context = {
        "gone": gone,
        "gone_form": _gone_form(sighting) if gone and sighting.state is SightingState.PENDING else None,
        "sighting": sighting,
        "place": place,
        "map_config": map_config(),
        "next_sighting": queue.next_pending(sighting, municipality_id),
        "municipality_id": municipality_id,
        "approve_form": forms.DecisionForm(formdata=None, version=sighting.version),
        "merge_form": merge_form,
        "reject_form": forms.RejectForm(formdata=None, version=sighting.version),
        "edit_form": forms.edit_form_for(sighting, place["lon"], place["lat"]),
        "edit_action": url_for("moderation.edit", sighting_id=sighting.id),
        "camera_now": _camera_beside(sighting),
        "take_choices": forms.take_choices(),
        "description_fields": DESCRIPTION_FIELDS,
        "field_vocabularies": FIELD_VOCABULARIES,
        "capabilities": Capability,
        "claims": {claim.capability: claim.evidence for claim in sighting.capabilities},
        "evidence_choices": forms.capability_choices(),
        "blur_form": forms.BlurForm(formdata=None),
        "rotate_form": forms.RotateForm(formdata=None),
        "deletion_form": forms.DeletionRequestForm(formdata=None),
        "action_form": forms.ActionForm(formdata=None),
        "deletion_requests": {photo.id: photos.deletion_request(photo.id) for photo in sighting.photos},
        "reject_reasons": dict(RejectReason.choices()),
        "decision_delay": DECISION_DELAY_SECONDS,
        "looking": claims.others_looking([sighting.id], current_user)[sighting.id],
        "claim_renew_seconds": int(claims.RENEW_EVERY.total_seconds()),
    }
    context.update(overrides)
    return render_template("moderation/item.html", **context), status


@bp.get("/moderation/sightings/<int:sighting_id>")
@moderator_required
def item(sighting_id: int):
    return render_item(sighting_id)


@bp.post("/moderation/sightings/<int:sighting_id>/claim")
@moderator_required
def renew_claim(sighting_id: int):
    """The item page's script claims the item when it opens and renews the claim every few minutes (moderation.js).
    A POST, not the page's GET: no GET changes the database (tests/test_route_security.py)."""
    claims.claim(sighting_id, current_user)
    return "", 204


@bp.post("/moderation/sightings/<int:sighting_id>/release")
@moderator_required
def release_claim(sighting_id: int):
    """The item page was left: the soft claim ends at once rather than when it lapses."""
    claims.release(sighting_id, current_user)
    return "", 204


def _after_decision(sighting_id: int, message: str):
    flash(message, "info")
    sighting = get_or_404(Sighting, sighting_id)
    following = queue.next_pending(sighting, _municipality_filter())
    if following is None:
        return redirect(url_for("moderation.queue", municipality=_municipality_filter()), 303)
    return redirect(url_for("moderation.item", sighting_id=following.id, municipality=_municipality_filter()), 303)


def _failed(sighting_id: int, error: DomainError):
    flash(error.message, "error")
    return render_item(sighting_id, error.status)


def _invalid(form) -> ValidationFailed:
    messages = [f"{getattr(form, name).label.text}: {', '.join(errors)}" for name, errors in form.errors.items()]
    return ValidationFailed("; ".join(messages) or _("The form is incomplete."))


def _version(form) -> int | None:
    return whole_number(form.version.data)


@bp.post("/moderation/sightings/<int:sighting_id>/approve")
@moderator_required
def approve(sighting_id: int):
    form = forms.DecisionForm()
    try:
        if not form.validate_on_submit():
            raise _invalid(form)
        camera = services.approve(sighting_id, current_user, form.reason.data, _version(form))
    except DomainError as error:
        return _failed(sighting_id, error)
    return _after_decision(sighting_id, _("Approved as camera #%(id)d.", id=camera.id))


@bp.post("/moderation/sightings/<int:sighting_id>/merge")
@moderator_required
def merge(sighting_id: int):
    form = forms.MergeForm()
    try:
        if not form.validate_on_submit():
            raise _invalid(form)
        take = set(request.form.getlist("take"))
        camera = services.merge(
            sighting_id, form.camera_id.data, current_user, form.reason.data, _version(form), take=take
        )
    except DomainError as error:
        return _failed(sighting_id, error)
    return _after_decision(
        sighting_id,
        ngettext(
            "Merged into camera #%(id)d (%(num)d confirmation).",
            "Merged into camera #%(id)d (%(num)d confirmations).",
            camera.confirmation_count,
            id=camera.id,
        ),
    )


@bp.post("/moderation/sightings/<int:sighting_id>/reject")
@moderator_required
def reject(sighting_id: int):
    form = forms.RejectForm()
    try:
        if not form.validate_on_submit():
            raise ValidationFailed(_("Choose why the sighting is rejected."))
        services.reject(sighting_id, form.category.data, current_user, form.note.data, _version(form))
    except DomainError as error:
        return _failed(sighting_id, error)
    return _after_decision(sighting_id, _("Rejected."))


@bp.post("/moderation/sightings/<int:sighting_id>/edit")
@moderator_required
def edit(sighting_id: int):
    form = forms.EditForm()
    try:
        if not form.validate_on_submit():
            raise _invalid(form)
        try:
            claims = forms.capabilities_from(request.form)
        except ValueError as error:
            raise ValidationFailed(_("Unknown evidence level.")) from error
        sighting = services.edit(sighting_id, form.changes(), claims, current_user, form.reason.data, _version(form))
        if form.save_and_approve.data:
            camera = services.approve(sighting_id, current_user, form.reason.data, sighting.version)
            return _after_decision(sighting_id, _("Saved and approved as camera #%(id)d.", id=camera.id))
    except DomainError as error:
        return _failed(sighting_id, error)
    flash(_("Changes saved; the original submission is kept below."), "info")
    return redirect(url_for("moderation.item", sighting_id=sighting_id), 303)


@bp.post("/moderation/bulk-reject")
@moderator_required
def bulk_reject():
    """Two steps, with or without JavaScript: the queue posts to see what would go, the confirmation rejects."""
    form = forms.BulkRejectForm()
    ids = [number for value in request.form.getlist("sighting_ids") if (number := database_id(value)) is not None]
    try:
        if not form.validate_on_submit():
            raise ValidationFailed(_("Choose why the sightings are rejected."))
        if not form.confirmed.data:
            sightings = services.bulk_reject_preview(ids)
            form.confirmed.data = "yes"
            return render_template("moderation/bulk_confirm.html", form=form, sightings=sightings)
        count = services.bulk_reject(ids, form.category.data, current_user)
    except DomainError as error:
        flash(error.message, "error")
        return redirect(url_for("moderation.queue"), 303)
    flash(ngettext("%(num)d sighting rejected.", "%(num)d sightings rejected.", count), "info")
    current_app.logger.info("bulk reject of %d sightings", count)
    return redirect(url_for("moderation.queue"), 303)
