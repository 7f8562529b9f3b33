"""The choropleth, the ranking, a municipality's page and recording official figures."""

import re
from datetime import date

from app.extensions import db
from app.models import OfficialFigure
from tests.factories import (
    BECEJ,
    BECEJ_CODE,
    GNJILANE_CODE,
    STARI_GRAD_CODE,
    make_camera,
    make_gnjilane_schools_figure,
    make_moderator,
    make_official_figure,
)
from tests.web import new_client, post_form, sign_in

NORTHERN = "46174442B95673189518219"  # Zubin Potok: census flagged unreliable


def test_the_choropleth_map_is_a_same_origin_document_whose_inline_scripts_are_allowed_by_hash(client):
    response = client.get("/municipalities/map?measure=cameras_per_10k")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    csp = response.headers["Content-Security-Policy"]
    assert "'unsafe-inline'" not in csp.split("script-src")[1].split(";")[0]
    assert csp.count("'sha256-") == len(re.findall(r"<script>", html)) > 0
    assert "frame-ancestors 'self'" in csp
    # Nothing is loaded from another host: every src/href is ours.
    assert [url for url in re.findall(r'(?:src|href)="([^"]+)"', html) if not url.startswith("/")] == []
    assert "cdn" not in html.lower()


def test_the_ranking_lists_every_municipality_with_its_count(client):
    make_camera()
    make_camera()
    make_camera(*BECEJ)
    html = client.get("/municipalities/").get_data(as_text=True)
    rows = re.findall(r'<tr data-code="([^"]+)">.*?class="num cameras" data-value="(\d+)"', html, re.S)
    assert len(rows) == 199
    assert rows[0] == (STARI_GRAD_CODE, "2")
    assert dict(rows)[BECEJ_CODE] == "1"


def test_per_resident_values_are_withheld_where_the_census_is_unreliable(client):
    html = client.get("/municipalities/?measure=cameras_per_10k").get_data(as_text=True)
    row = re.search(rf'<tr data-code="{NORTHERN}">(.*?)</tr>', html, re.S).group(1)
    assert "⚠" in row


def test_a_municipality_page_shows_declared_vs_mapped_and_svg_charts(client):
    make_camera(*BECEJ, first_confirmed_on=date(2026, 1, 5), last_confirmed_on=date(2026, 1, 5))
    make_camera(*BECEJ)
    make_official_figure(BECEJ_CODE)
    html = client.get(f"/municipalities/{BECEJ_CODE}").get_data(as_text=True)
    assert "Bečej" in html
    assert re.search(r'id="mapped">2<', html)
    assert "130" in html and "800.000 EUR" in html  # Serbian number format: the default language
    assert html.count("<svg") == 3
    assert "<polyline" in html  # cameras mapped over time: two months
    assert "Record an official figure" not in html and 'name="source_url"' not in html  # public visitors


def test_the_gnjilane_schools_purchase_is_recorded_with_its_supplier(client):
    make_gnjilane_schools_figure()
    html = client.get(f"/municipalities/{GNJILANE_CODE}").get_data(as_text=True)
    assert "Neva Company 2020 DOO" in html and "196" in html


FIGURE_FORM = {
    "kind": "procured",
    "cameras": "130",
    "source_url": "https://example.org/tender.pdf",
    "document_date": "2021-03-01",
    "supplier": "Macchina Security",
    "amount": "800000",
    "currency": "EUR",
    "description": "Cameras at 20 locations",
}


def test_visitors_cannot_record_figures(client):
    assert client.post(f"/municipalities/{BECEJ_CODE}/figures", data=FIGURE_FORM).status_code in (302, 400)
    assert db.session.query(OfficialFigure).count() == 0


def test_moderators_record_figures_and_bad_input_stores_nothing(app):
    client = new_client(app)
    sign_in(client, make_moderator())
    page, action = f"/municipalities/{BECEJ_CODE}", f"/municipalities/{BECEJ_CODE}/figures"

    bad = post_form(client, page, action, {**FIGURE_FORM, "source_url": "javascript:alert(1)"})
    assert bad.status_code == 422
    for field in ("description", "supplier", "source_url"):  # PostgreSQL cannot store NUL: a 422, never a 500
        nul = post_form(client, page, action, {**FIGURE_FORM, field: FIGURE_FORM[field] + "\x00"})
        assert nul.status_code == 422, field
    assert db.session.query(OfficialFigure).count() == 0

    good = post_form(client, page, action, FIGURE_FORM)
    assert good.status_code == 302
    [figure] = db.session.query(OfficialFigure).all()
    assert figure.cameras == 130 and figure.supplier == "Macchina Security"


def test_figures_can_be_recorded_from_the_command_line(runner):
    result = runner.invoke(
        args=["figures", "add", BECEJ_CODE, "--cameras", "130", "--source-url", "https://example.org/a.pdf",
              "--date", "2021-03-01", "--description", "130 cameras", "--amount", "800000", "--currency", "EUR"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    refused = runner.invoke(
        args=["figures", "add", "nowhere", "--cameras", "0", "--source-url", "ftp://x", "--date", "2021-03-01",
              "--description", "x"],
    )  # fmt: skip
    assert refused.exit_code != 0
    assert "municipality" in refused.output and "cameras" in refused.output


def test_recording_a_figure_is_an_event_in_the_moderation_log():
    from app.models import ModerationEvent

    moderator = make_moderator()
    figure = make_official_figure(recorded_by_id=moderator.id)

    [event] = db.session.query(ModerationEvent).filter_by(action="figure_add").all()
    assert (event.actor_id, event.target_type, event.target_id) == (moderator.id, "official_figure", figure.id)
    assert event.details["cameras"] == 130 and event.after_hash


def test_numbers_follow_the_readers_language(client):
    make_official_figure()

    serbian = client.get(f"/municipalities/{BECEJ_CODE}").get_data(as_text=True)
    english = client.get(f"/municipalities/{BECEJ_CODE}?lang=en").get_data(as_text=True)

    # Bečej's 2022 census count; a Serbian reader would take "30,681" for thirty point six.
    assert "30.681" in serbian and "800.000 EUR" in serbian
    assert "30,681" in english and "800,000 EUR" in english


def test_the_kept_ranking_follows_a_new_camera_and_the_language(client):
    """The ranking is written once per data version, measure and language: a camera verified since, or another
    language, is never answered with the kept copy."""

    def becej_count() -> int:
        html = client.get("/municipalities/?lang=en").get_data(as_text=True)
        row = rf'<tr data-code="{BECEJ_CODE}">.*?class="num cameras" data-value="(\d+)"'
        return int(re.search(row, html, re.S).group(1))

    make_camera(*BECEJ)
    db.session.flush()
    before = becej_count()
    make_camera(BECEJ[0] + 0.001, BECEJ[1])
    db.session.flush()
    assert becej_count() == before + 1
    cyrillic = client.get("/municipalities/?lang=sr-Cyrl").get_data(as_text=True)
    assert "Бечеј" in cyrillic and ">Bečej</a>" not in cyrillic
