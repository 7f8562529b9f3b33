"""Pages, JSON and static files are compressed (Flask-Compress), each coding with its own strong ETag; static URLs
carry their content hash and are cached long; a response that is encoded already is left as it is."""

import gzip
import re

from flask import Response

from app.extensions import compress

GZIP = {"Accept-Encoding": "gzip"}


def test_pages_are_sent_compressed(client):
    response = client.get("/municipalities/?lang=en", headers=GZIP)

    assert response.headers["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in response.headers["Vary"]
    html = gzip.decompress(response.data).decode()
    assert html.count('<tr data-code="') == 199
    assert int(response.headers["Content-Length"]) == len(response.data) < len(html.encode()) / 3


def test_json_has_one_etag_per_coding_and_both_revalidate(client):
    identity = client.get("/api/v1/municipalities")
    gzipped = client.get("/api/v1/municipalities", headers=GZIP)

    assert "Content-Encoding" not in identity.headers
    assert gzipped.headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(gzipped.data) == identity.data
    assert gzipped.headers["ETag"] == identity.headers["ETag"][:-1] + ':gzip"'
    for response, headers in ((identity, {}), (gzipped, GZIP)):
        again = client.get("/api/v1/municipalities", headers={**headers, "If-None-Match": response.headers["ETag"]})
        assert again.status_code == 304
        assert again.headers["ETag"] == response.headers["ETag"]


def test_static_urls_carry_their_hash_and_are_cached_for_a_year(client):
    html = client.get("/").get_data(as_text=True)
    url = re.search(r'src="(/assets/leaflet/leaflet\.js\?v=[0-9a-f]{12})"', html).group(1)
    plain = client.get("/assets/leaflet/leaflet.js")

    versioned = client.get(url, headers=GZIP)

    assert versioned.headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(versioned.data) == plain.data
    assert "immutable" in versioned.headers["Cache-Control"]
    assert "max-age=31536000" in versioned.headers["Cache-Control"]
    assert "immutable" not in plain.headers["Cache-Control"]  # an old or hand-written URL is revalidated
    assert client.get(url, headers={**GZIP, "If-None-Match": versioned.headers["ETag"]}).status_code == 304
    stale = client.get("/static/css/site.css?v=000000000000")
    assert stale.status_code == 200 and "immutable" not in stale.headers["Cache-Control"]


def test_a_response_that_is_encoded_already_is_left_alone(app):
    # The base-map tiles (issue 13) are stored gzipped; compressing them again would break every client.
    body = gzip.compress(b"<p>" + b"tile " * 1000 + b"</p>")
    with app.test_request_context("/", headers={"Accept-Encoding": "gzip, br, zstd"}):
        response = Response(body, mimetype="text/html", headers={"Content-Encoding": "gzip"})
        response = compress.after_request(response)

    assert response.headers["Content-Encoding"] == "gzip"
    assert response.get_data() == body
