"""The admins' view of the moderation log (/admin/audit): every event, by moderator or camera, chain checked."""

from flask import render_template, request

from app.auth.sessions import admin_required
from app.input_guards import database_id
from app.moderation import bp, events

AUDIT_PAGE = 200


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
