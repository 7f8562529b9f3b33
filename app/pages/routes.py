"""About and data pages."""

from flask import Blueprint, current_app, render_template

from app.municipalities.services import read_manifest
from app.opendata import citation, log_anchor, snapshots

bp = Blueprint("pages", __name__)


@bp.get("/about")
def about():
    return render_template("pages/about.html")


@bp.get("/data")
def data():
    manifest = read_manifest(current_app.config["GEODATA_MANIFEST"])
    return render_template(
        "pages/data.html",
        datasets=manifest["datasets"],
        snapshots=snapshots.list_snapshots(),
        public_key=snapshots.public_key(),
        citation=citation.latest_citation(),
        log_head=log_anchor.current_head(),
        published_head=snapshots.published_log_head(),
    )


@bp.get("/methodology")
def methodology():
    """What "verified" means, the evidence levels, how declared lists are matched, the biases of the coverage."""
    from app.declared.matching import tolerance_metres
    from app.vocabulary import Evidence

    return render_template("pages/methodology.html", evidence=list(Evidence), tolerance=tolerance_metres())
