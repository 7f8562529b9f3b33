import re


def test_home_page_has_the_map_navigation_and_attribution(client):
    html = client.get("/").get_data(as_text=True)

    assert 'id="map"' in html
    for href in ("/municipalities/", "/data", "/about"):
        assert f'href="{href}?lang=sr-Latn"' in html
    assert "OpenStreetMap" in html
    assert "/assets/leaflet/leaflet.js" in html


def test_pages_load_nothing_from_other_hosts(app, client):
    own = tuple(f'href="{origin}/' for origin in app.config["PUBLIC_ORIGIN"].split())  # hreflang alternates
    for path in ("/", "/municipalities/", "/data", "/about"):
        html = client.get(path).get_data(as_text=True).replace('href="https://www.openstreetmap.org/copyright"', "")
        for prefix in own:
            html = html.replace(prefix, 'href="/')
        assert not re.search(r"""(src|href)=["']https?://""", html)


def test_vendor_assets_are_served_from_our_origin(client):
    response = client.get("/assets/leaflet/leaflet.js")

    assert response.status_code == 200
    assert b"Leaflet" in response.data[:400]
    assert client.get("/assets/leaflet/../../../etc/passwd").status_code == 404
    assert client.get("/assets/jquery/jquery.js").status_code == 404


def test_municipality_list_shows_every_unit_with_flags(client):
    html = client.get("/municipalities/?lang=en").get_data(as_text=True)

    assert html.count('<tr data-code="') == 199
    # English names where the geodata has them (Kosovo), the Serbian Latin name elsewhere.
    assert "Stari grad" in html and "North Mitrovica" in html and "Прешево" not in html
    assert html.count("unreliable</abbr>") == 4


def test_data_page_names_licences_and_sources(client):
    html = client.get("/data?lang=en").get_data(as_text=True)

    assert "ODbL-1.0" in html
    assert "CC-BY-SA-2.0" in html
    assert "RZS" in html and "KAS" in html


def test_municipalities_geojson_is_built_by_postgis_and_cacheable(client):
    response = client.get("/api/v1/municipalities")

    assert response.status_code == 200
    body = response.get_json()
    assert body["type"] == "FeatureCollection"
    assert len(body["features"]) == 199
    stari_grad = next(f for f in body["features"] if f["properties"]["name"] == "Stari grad")
    assert stari_grad["geometry"]["type"] == "MultiPolygon"
    assert stari_grad["properties"]["population"] > 0
    assert 4 < stari_grad["properties"]["area_km2"] < 7

    again = client.get("/api/v1/municipalities", headers={"If-None-Match": response.headers["ETag"]})
    assert again.status_code == 304


def test_security_headers_keep_pages_on_our_origin(client):
    response = client.get("/")

    assert "script-src 'self'" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
