"""GET /basemap/<version>/<z>/<x>/<y>.<ext>: one tile of the base map, cacheable for a year.

The version in the address changes with the file, so a tile never changes under its address (immutable), and the
ETag is known before the file is read. Vector tiles are stored gzipped and sent as they are to every browser.
"""

import gzip

from flask import Response, abort, request

from app.basemap import bp, services
from app.basemap.mbtiles import is_gzipped

CACHE_CONTROL = "public, max-age=31536000, immutable"


@bp.get("/<version>/<int:z>/<int:x>/<int:y>.<ext>")
def tile(version: str, z: int, x: int, y: int, ext: str):
    base = services.current_base()
    tileset = base.tileset
    if tileset is None or version != tileset.version or ext != tileset.format or z > 22 or max(x, y) >= 1 << z:
        abort(404)
    gzip_ok = tileset.is_vector and request.accept_encodings["gzip"] > 0
    etag = f"{version}-{z}-{x}-{y}" + ("" if gzip_ok or not tileset.is_vector else "-identity")
    headers = {"Cache-Control": CACHE_CONTROL, "ETag": f'"{etag}"'}
    if tileset.is_vector:
        headers["Vary"] = "Accept-Encoding"
    if request.if_none_match.contains(etag):
        return Response(status=304, headers=headers)
    data = services.reader().tile(z, x, y)
    if data is None:
        if not tileset.is_vector:
            abort(404)
        data = b""  # nothing drawn here: an empty vector tile is a valid one
    if tileset.is_vector and is_gzipped(data):
        if gzip_ok:
            headers["Content-Encoding"] = "gzip"
        else:
            data = gzip.decompress(data)
    return Response(data, mimetype=tileset.media_type, headers=headers)
