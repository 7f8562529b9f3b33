"""The public page of one camera."""

from app import geo
from app.extensions import db
from app.models import Photo, Sighting
from app.photos.storage import LocalStorage
from app.vocabulary import Capability, Evidence, SightingState
from tests.factories import make_camera, make_event, make_user


def test_the_camera_page_shows_claims_dates_history_and_tags_but_no_moderator(client):
    moderator = make_user("hidden.moderator@example.org")
    camera = make_camera(
        direction=45,
        capabilities={
            Capability.FACIAL_RECOGNITION: Evidence.MODEL_IDENTIFIED,
            Capability.NUMBER_PLATE_RECOGNITION: Evidence.PROCUREMENT_DOCUMENT,
        },
    )
    make_event(
        action="approve", target_type="camera", target_id=camera.id, actor_id=moderator.id, reason="Seen by Marko"
    )
    page = client.get(f"/cameras/{camera.id}?lang=en").get_data(as_text=True)
    assert "Stari grad" in page
    assert "2026-11-01" in page
    assert "Approved as a new camera" in page
    # Moderators and their free-text reasons (which can name people) stay out of the public record.
    assert "hidden.moderator" not in page and "Marko" not in page
    assert "man_made=surveillance" in page and "camera:direction=45" in page and "check_date=2026-11-01" in page
    assert f"/report?confirms={camera.id}" in page
    assert "Huawei" in page


def test_an_unknown_camera_is_a_404(client):
    assert client.get("/cameras/987654").status_code == 404


def test_photos_of_verified_sightings_are_public_and_pending_ones_are_not(app, client, tmp_path):
    original_dir = app.config["PHOTO_STORAGE_DIR"]
    app.config["PHOTO_STORAGE_DIR"] = str(tmp_path)
    try:
        camera = make_camera()
        store = LocalStorage(tmp_path)

        def photo_of(state: SightingState, reference: str) -> Photo:
            sighting = Sighting(
                reference=reference,
                location=geo.point(20.4569, 44.8176),
                state=state,
                camera_id=camera.id if state is SightingState.APPROVED else None,
                confirms_camera_id=camera.id,
            )
            display, thumb = store.put(b"display-" + reference.encode(), ".jpg"), store.put(b"thumb", ".jpg")
            photo = Photo(content_type="image/jpeg", display_key=display, thumb_key=thumb, display_bytes=12,
                          thumb_bytes=5, sha256="0" * 64, width=10, height=10)  # fmt: skip
            sighting.photos = [photo]
            db.session.add(sighting)
            db.session.flush()
            return photo

        public, pending = photo_of(SightingState.APPROVED, "PUB1"), photo_of(SightingState.PENDING, "PEND1")
        page = client.get(f"/cameras/{camera.id}").get_data(as_text=True)
        assert f"/photos/{public.id}/thumb" in page and f"/photos/{pending.id}/" not in page
        shown = client.get(f"/cameras/{camera.id}/photos/{public.id}/display")
        assert shown.data == b"display-PUB1"
        # Revalidated, never cached for long: a moderator may blur a face in it later.
        assert shown.cache_control.max_age <= 300 and shown.headers["ETag"]
        again = client.get(
            f"/cameras/{camera.id}/photos/{public.id}/display", headers={"If-None-Match": shown.headers["ETag"]}
        )
        assert again.status_code == 304
        assert client.get(f"/cameras/{camera.id}/photos/{pending.id}/display").status_code == 404
    finally:
        app.config["PHOTO_STORAGE_DIR"] = original_dir
