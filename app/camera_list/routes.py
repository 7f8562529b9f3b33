"""GET /cameras/: the list of verified cameras, filtered by the map's URL parameters, paged."""

from flask import render_template, request

from app.camera_list import bp, services
from app.cameras.filters import filter_choices, parse_filters
from app.municipalities.services import municipality_choices


@bp.get("/")
def index():
    filters = parse_filters(request.args)
    page = services.list_cameras(filters, request.args.get("page", 1, type=int))
    return render_template(
        "camera_list/index.html",
        listing=page,
        filters=filter_choices(),
        municipalities=municipality_choices(),
        chosen={key: value for key, value in request.args.items() if key not in ("page", "lang") and value},
    )
