"""GET /tiles/cameras/<z>/<x>/<y>.pbf"""

import hashlib

from flask import Blueprint, Response, request

from app.security import allow_any_origin
from app.tiles.services import camera_tile

bp = Blueprint("tiles", __name__, url_prefix="/tiles")
bp.after_request(allow_any_origin)

MVT_TYPE = "application/vnd.mapbox-vector-tile"


@bp.get("/cameras/<int:z>/<int:x>/<int:y>.pbf")
def cameras(z: int, x: int, y: int):
    tile = camera_tile(z, x, y)
    response = Response(tile, mimetype=MVT_TYPE)
    response.set_etag(hashlib.sha256(tile).hexdigest()[:32])
    response.cache_control.public = True
    response.cache_control.max_age = 300
    return response.make_conditional(request)
