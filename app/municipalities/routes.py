"""Municipality pages: the density choropleth with its ranking, and one page per municipality.

Folium writes inline scripts, which the site-wide CSP (`script-src 'self'`) forbids. Its maps are therefore
separate documents (`.../map`), framed by our own pages and served with a CSP of their own that allows exactly
their inline scripts by SHA-256 hash and nothing from another host.
"""

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.auth.sessions import is_moderator, moderator_required
from app.errors import ValidationFailed
from app.geo import svg_map
from app.geo.folium_maps import inline_script_hashes
from app.http import json_response
from app.municipalities import figures, profiles
from app.municipalities.forms import OfficialFigureForm
from app.opendata.citation import latest_citation
from app.security import tile_origin

bp = Blueprint("municipalities", __name__, url_prefix="/municipalities")
bp.add_app_template_filter(profiles.format_figure, "figure")


def framed_map(html: str | bytes, etag: str | None = None) -> Response:
    """A Folium document with a CSP that allows only its own inline scripts, framed by our pages only."""
    body = html.encode() if isinstance(html, str) else html
    response = json_response(body, max_age=300, etag=etag, mimetype="text/html")
    images = " ".join(filter(None, ["'self'", "data:", tile_origin()]))
    response.headers["Content-Security-Policy"] = (
        "default-src 'self'; "
        f"img-src {images}; "
        "style-src 'self' 'unsafe-inline'; "
        f"script-src 'self' {' '.join(inline_script_hashes(body.decode()))}; "
        "connect-src 'self'; object-src 'none'; frame-ancestors 'self'; base-uri 'self'; form-action 'none'"
    )
    response.headers["X-Frame-Options"] = "SAMEORIGIN"
    return response


@bp.get("/")
def index():
    measure = profiles.parse_measure(request.args.get("measure"))
    page = profiles.ranking_page(measure)
    return render_template(
        "municipalities/index.html",
        choropleth=page.choropleth,
        choropleth_size=svg_map.choropleth_size(len(page.choropleth.legend)),
        ranking=page.table,
        measures=profiles.measure_labels(),
        measure=measure,
    )


@bp.get("/map.svg")
def choropleth_image():
    image = profiles.choropleth_image(profiles.parse_measure(request.args.get("measure")))
    return json_response(image.body, max_age=300, etag=image.etag, mimetype="image/svg+xml")


@bp.get("/map")
def choropleth_map():
    document = profiles.choropleth_document(profiles.parse_measure(request.args.get("measure")))
    return framed_map(document.body, document.etag)


@bp.get("/<code>")
def detail(code: str):
    form = OfficialFigureForm() if is_moderator() else None
    profile = profiles.municipality_profile(code)
    return render_template("municipalities/detail.html", profile=profile, form=form, citation=latest_citation())


@bp.get("/<code>/map")
def municipality_map(code: str):
    return framed_map(profiles.municipality_document(code))


@bp.post("/<code>/figures")
@moderator_required
def add_figure(code: str):
    form = OfficialFigureForm()
    if form.validate_on_submit():
        try:
            figures.record_official_figure(
                municipality_code=code,
                kind=form.kind.data,
                cameras=form.cameras.data,
                source_url=form.source_url.data,
                document_date=form.document_date.data,
                supplier=form.supplier.data,
                amount=form.amount.data,
                currency=form.currency.data or None,
                description=form.description.data,
                recorded_by_id=current_user.id,
            )
        except ValidationFailed as error:
            for field, message in error.details.items():
                if hasattr(form, field):
                    getattr(form, field).errors = [message]
        else:
            flash(_("The official figure was recorded."))
            return redirect(url_for("municipalities.detail", code=code) + "#official")
    profile = profiles.municipality_profile(code)
    return render_template("municipalities/detail.html", profile=profile, form=form, citation=latest_citation()), 422
