"""GET /tiles/cameras/<z>/<x>/<y>.pbf: gzipped MVT with an ETag known before the tile is built."""

import gzip

from flask import Blueprint, Response, request

from app.security import allow_any_origin
from app.tiles.cache import tile_etag
from app.tiles.services import check_tile_address, gzipped_camera_tile, tile_version

bp = Blueprint("tiles", __name__, url_prefix="/tiles")
bp.after_request(allow_any_origin)

MVT_TYPE = "application/vnd.mapbox-vector-tile"


@bp.get("/cameras/<int:z>/<int:x>/<int:y>.pbf")
def cameras(z: int, x: int, y: int):
    check_tile_address(z, x, y)
    version = tile_version()
    # Two representations, two strong ETags (as Flask-Compress names them elsewhere): gzip, or identity for the
    # rare client that does not accept it.
    gzipped = "gzip" in request.accept_encodings
    etag = tile_etag(version, z, x, y) + (":gzip" if gzipped else "")
    if request.if_none_match.contains(etag):
        response = Response(status=304)
    else:
        tile = gzipped_camera_tile(version, z, x, y)
        response = Response(tile if gzipped else gzip.decompress(tile), mimetype=MVT_TYPE)
        if gzipped:
            response.headers["Content-Encoding"] = "gzip"
    response.set_etag(etag)
    response.vary.add("Accept-Encoding")
    response.cache_control.public = True
    response.cache_control.max_age = 300
    return response
