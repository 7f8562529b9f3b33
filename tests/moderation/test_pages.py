"""The moderation pages as a moderator uses them (test client; the browser test covers the scripts)."""

import json
import re
from datetime import date

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import ModerationEvent, Photo, Sighting
from app.vocabulary import CameraStatus, CameraType, Role, SightingState
from tests.factories import make_camera, make_moderator, make_sighting
from tests.web import csrf_token, new_client, post_form, sign_in, where


@pytest.fixture
def moderator(client):
    user = make_moderator()
    sign_in(client, user)
    return user


def test_the_queue_is_oldest_first_with_counts_and_a_municipality_filter(client, moderator):
    newer = make_sighting(submitted_on=date(2026, 11, 20), reference="NEWER")
    older = make_sighting(submitted_on=date(2026, 11, 2), reference="OLDER")
    becej = make_sighting(20.0333, 45.6163, reference="BECEJ")

    page = client.get("/moderation").get_data(as_text=True)
    filtered = client.get(f"/moderation?municipality={becej.municipality_id}").get_data(as_text=True)

    assert page.index("OLDER") < page.index("NEWER") < page.index("BECEJ")
    assert 'data-pending-total="3"' in page
    assert "Stari grad (2)" in page and "Bečej (1)" in page
    assert "BECEJ" in filtered and "OLDER" not in filtered
    assert older.id and newer.id


def test_the_item_shows_photos_claims_municipality_and_neighbours_within_50_m(client, moderator):
    camera = make_camera(20.4569, 44.8176)
    far_camera = make_camera(20.4600, 44.8176)  # about 250 m east
    sighting = make_sighting(20.45693, 44.81762, photos=2)
    neighbour = make_sighting(20.45688, 44.81758, reference="NEIGHBOUR")

    response = client.get(f"/moderation/sightings/{sighting.id}")
    html = response.get_data(as_text=True)

    assert response.status_code == 200
    assert html.count('class="zoomable"') == 2
    assert ("Stari grad" in html and "Prepoznavanje lica" in html) or "facial" in html.lower()
    place = json.loads(html.split('data-place="', 1)[1].split('"', 1)[0].replace("&#34;", '"').replace("&quot;", '"'))
    assert [c["id"] for c in place["cameras"]] == [camera.id]
    assert far_camera.id not in [c["id"] for c in place["cameras"]]
    assert [p["id"] for p in place["pending"]] == [neighbour.id]
    assert f'value="{camera.id}"' in html  # merge suggests the nearest camera
    photo = client.get(f"/moderation/photos/{sighting.photos[0].id}/display")
    assert photo.status_code == 200 and photo.mimetype == "image/jpeg"
    assert photo.headers["Cache-Control"] == "private, no-store"


def test_a_second_moderator_on_a_stale_page_sees_a_conflict(app, client, moderator):
    sighting = make_sighting()
    other = new_client(app)
    sign_in(other, make_moderator("other@example.org"))
    stale_page = other.get(f"/moderation/sightings/{sighting.id}").get_data(as_text=True)

    post_form(
        client,
        f"/moderation/sightings/{sighting.id}",
        f"/moderation/sightings/{sighting.id}/reject",
        {"version": sighting.version, "category": "spam"},
    )
    response = other.post(
        f"/moderation/sightings/{sighting.id}/approve",
        data={"csrf_token": csrf_token(stale_page), "version": "1"},
    )

    assert response.status_code == 409
    assert "Drugi moderator je izmenio ovu prijavu" in response.get_data(as_text=True)
    assert db.session.get(Sighting, sighting.id).state is SightingState.REJECTED


def test_editing_before_approving_keeps_the_original_visible(client, moderator):
    sighting = make_sighting()
    url = f"/moderation/sightings/{sighting.id}"
    form = {
        "version": sighting.version,
        "lat": "44.8180",
        "lon": "20.4580",
        "surveillance_type": "camera",
        "camera_type": "panning",
        "mount": "pole",
        "direction": "90",
        "setting": "",
        "zone": "",
        "operator": "police",
        "operator_name": "",
        "manufacturer": "Dahua",
        "model": "",
        "reason": "",
        "cap_ptz_zoom": "suspected",
        "save": "1",
    }

    saved = post_form(client, url, url + "/edit", form)
    page = client.get(url).get_data(as_text=True)

    assert saved.status_code == 303
    assert sighting.camera_type is CameraType.PANNING and sighting.direction == 90
    assert "Originalna prijava" in page and "dome" in page.split("Originalna prijava", 1)[1]
    form["version"] = db.session.get(Sighting, sighting.id).version
    form.pop("save")
    form["save_and_approve"] = "1"
    form["model"] = "DH-IPC-HFW"
    post_form(client, url, url + "/edit", form)
    assert sighting.state is SightingState.APPROVED and sighting.camera.model == "DH-IPC-HFW"
    actions = db.session.scalars(select(ModerationEvent.action).order_by(ModerationEvent.id)).all()
    assert actions == ["edit", "edit", "approve"]


def test_bulk_reject_from_the_queue_asks_for_a_confirmation_listing_what_goes(client, moderator):
    spam = [make_sighting(reference=f"SPAM{i}") for i in range(3)]
    keep = make_sighting(reference="KEEP")

    # The queue's form, as a browser without JavaScript sends it: nothing is rejected yet.
    asked = post_form(
        client,
        "/moderation",
        "/moderation/bulk-reject",
        {"category": "spam", "sighting_ids": [str(s.id) for s in spam]},
    )
    page = asked.get_data(as_text=True)
    assert asked.status_code == 200 and all(s.state is SightingState.PENDING for s in spam)
    assert "Odbiti 3 izabrane prijave?" in page and all(f"SPAM{i}" in page for i in range(3))
    assert "KEEP" not in page and "„Spam“" in page

    confirm = {
        "csrf_token": csrf_token(page),
        "confirmed": "yes",
        "category": "spam",
        "sighting_ids": re.findall(r'name="sighting_ids" value="(\d+)"', page),
    }
    response = client.post("/moderation/bulk-reject", data=confirm)

    assert response.status_code == 303
    assert all(s.state is SightingState.REJECTED for s in spam) and keep.state is SightingState.PENDING
    assert "KEEP" in client.get("/moderation").get_data(as_text=True)


def test_a_bulk_reject_of_nothing_pending_says_so_and_rejects_nothing(client, moderator):
    response = post_form(client, "/moderation", "/moderation/bulk-reject", {"category": "spam"})
    assert where(response) == "/moderation"
    assert "Izaberite bar jednu prijavu." in client.get("/moderation").get_data(as_text=True)


def test_two_moderators_delete_a_photo_through_the_pages(app, client, moderator):
    sighting = make_sighting(photos=1)
    photo_id = sighting.photos[0].id
    url = f"/moderation/sightings/{sighting.id}"
    post_form(client, url, f"/moderation/photos/{photo_id}/delete-request", {"reason": "a child's face"})
    assert "Potvrdi brisanje" not in client.get(url).get_data(as_text=True)  # not for the requester

    second = new_client(app)
    sign_in(second, make_moderator("second@example.org"))
    page = second.get(url).get_data(as_text=True)
    assert "Potvrdi brisanje" in page
    second.post(f"/moderation/photos/{photo_id}/delete-confirm", data={"csrf_token": csrf_token(page)})

    assert db.session.get(Photo, photo_id) is None


def test_blurring_through_the_page(client, moderator):
    sighting = make_sighting(photos=1)
    photo = sighting.photos[0]
    old = photo.sha256
    url = f"/moderation/sightings/{sighting.id}"

    post_form(
        client,
        url,
        f"/moderation/photos/{photo.id}/blur",
        {"sha256": photo.sha256, "regions": json.dumps([{"x": 0.1, "y": 0.1, "w": 0.3, "h": 0.3}])},
    )

    assert db.session.get(Photo, photo.id).sha256 != old


def test_camera_page_marks_removed_and_admins_see_the_log_filtered(app, client, moderator):
    camera = make_camera()
    url = f"/moderation/cameras/{camera.id}"
    post_form(client, url, url + "/status", {"version": camera.version, "status": "removed", "reason": "gone"})
    other_camera = make_camera(20.47, 44.81)
    post_form(
        client,
        f"/moderation/cameras/{other_camera.id}",
        f"/moderation/cameras/{other_camera.id}/status",
        {"version": other_camera.version, "status": "needs_resurvey", "reason": "check"},
    )

    admin = new_client(app)
    sign_in(admin, make_moderator("admin@example.org", Role.ADMIN))
    by_camera = admin.get(f"/admin/audit?camera={camera.id}").get_data(as_text=True)
    by_moderator = admin.get(f"/admin/audit?moderator={moderator.id}").get_data(as_text=True)
    nobody = admin.get("/admin/audit?moderator=999999").get_data(as_text=True)

    assert by_camera.count("data-event=") == 1 and "gone" in by_camera
    assert by_moderator.count("data-event=") == 2
    assert nobody.count("data-event=") == 0
    assert client.get("/admin/audit").status_code == 403  # moderators do not read the whole log


def test_the_log_pages_back_through_older_events(app):
    from app.moderation.audit_routes import AUDIT_PAGE
    from tests.factories import make_event

    for number in range(AUDIT_PAGE + 1):
        make_event(target_id=number)
    admin = new_client(app)
    sign_in(admin, make_moderator("admin@example.org", Role.ADMIN))

    first = admin.get("/admin/audit").get_data(as_text=True)
    older_link = re.search(r'href="(/admin/audit\?[^"]*before=[^"]*)"', first).group(1).replace("&amp;", "&")
    second = admin.get(older_link).get_data(as_text=True)

    assert first.count("data-event=") == AUDIT_PAGE and second.count("data-event=") == 1
    assert 'data-chain="broken"' in first  # these hand-made events are not chained


def _merge_camera_field(page: str) -> str:
    return re.search(r'<input[^>]*id="merge-camera"[^>]*>', page).group(0)


@pytest.mark.parametrize("note", [None, "Ove kamere više nema.", "Still there? No: the pole is empty.", "Ska më."])
def test_an_it_is_gone_report_warns_and_offers_the_status_change_instead_of_merging(client, moderator, note):
    camera = make_camera()
    before = camera.confirmation_count
    sighting = make_sighting(confirms_camera_id=camera.id, note=note, reference="GONE", reports_gone=True)
    url = f"/moderation/sightings/{sighting.id}"

    page = client.get(url).get_data(as_text=True)

    assert 'id="gone-warning"' in page
    assert f"Prijavilac kaže da kamere #{camera.id} više nema." in page
    assert re.search(r'value="\d', _merge_camera_field(page)) is None  # merge is not pre-selected
    status_form = page.split('id="gone-form"', 1)[1].split("</form>", 1)[0]
    assert 'value="removed"' in status_form and 'value="needs_resurvey"' in status_form

    response = post_form(
        client,
        url,
        f"/moderation/cameras/{camera.id}/status",
        {"version": camera.version, "status": "removed", "reason": "Prijava GONE", "sighting": str(sighting.id)},
    )

    assert response.status_code == 303 and where(response).endswith(url)
    db.session.expire_all()
    assert camera.status is CameraStatus.REMOVED and camera.confirmation_count == before
    assert sighting.state is SightingState.PENDING
    after = client.get(url).get_data(as_text=True)
    assert f"Kamera #{camera.id} je već označena kao uklonjena." in after and 'id="gone-form"' not in after


@pytest.mark.parametrize(
    "note", ["Still there, new sticker.", "This camera is no longer there.", "Ove kamere više nema."]
)
def test_a_saw_it_too_report_still_suggests_merging_into_its_camera(client, moderator, note):
    camera = make_camera(20.47, 44.81)  # not the nearest: the reporter's camera is what merge suggests
    make_camera()
    sighting = make_sighting(confirms_camera_id=camera.id, note=note)  # what a note says is not a state

    page = client.get(f"/moderation/sightings/{sighting.id}").get_data(as_text=True)

    assert 'id="gone-warning"' not in page
    assert f'value="{camera.id}"' in _merge_camera_field(page)


def test_days_on_the_moderation_pages_are_written_as_the_reader_writes_them(app):
    sighting = make_sighting(submitted_on=date(2026, 11, 20))
    client = new_client(app)
    sign_in(client, make_moderator())

    for url in ("/moderation?lang=sr-Latn", f"/moderation/sightings/{sighting.id}?lang=sr-Latn"):
        html = client.get(url).get_data(as_text=True)
        assert '<time datetime="2026-11-20">20. 11. 2026.</time>' in html, url
    assert '<time datetime="2026-11-20">Nov 20, 2026</time>' in client.get("/moderation?lang=en").get_data(as_text=True)


def test_counts_agree_with_their_number_in_every_language(app):
    one, two = make_camera(confirmation_count=1), make_camera(confirmation_count=2)
    client = new_client(app)
    sign_in(client, make_moderator())

    def page(camera, tag: str) -> str:
        return client.get(f"/moderation/cameras/{camera.id}?lang={tag}").get_data(as_text=True)

    assert "Confirmed by 1 sighting," in page(one, "en") and "Confirmed by 2 sightings," in page(two, "en")
    assert "Potvrđuje je 1 prijava," in page(one, "sr-Latn") and "Potvrđuju je 2 prijave," in page(two, "sr-Latn")
    assert "E konfirmon 1 raportim;" in page(one, "sq") and "E konfirmojnë 2 raportime;" in page(two, "sq")
