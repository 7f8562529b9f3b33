"""Downloads of the signed snapshots and of the public key that verifies them."""

from flask import Blueprint, Response, abort, send_file

from app.opendata import snapshots
from app.security import allow_any_origin

bp = Blueprint("opendata", __name__, url_prefix="/data")
MIMETYPES = {".geojson": "application/geo+json", ".csv": "text/csv", ".json": "application/json"}
bp.after_request(allow_any_origin)


@bp.get("/snapshots/<name>/<filename>")
def snapshot_file(name: str, filename: str):
    path = snapshots.snapshot_file(name, filename)
    if path is None:
        abort(404)
    return send_file(
        path,
        mimetype=MIMETYPES.get(path.suffix, "text/plain"),  # SHA256SUMS and its signature are text
        as_attachment=True,
        download_name=f"hiljade-kamera-{name}-{filename}",
        max_age=86400,
    )


@bp.get("/snapshot-key.pub")
def public_key():
    key = snapshots.public_key()
    if key is None:
        abort(404)
    return Response(key + "\n", mimetype="text/plain")
