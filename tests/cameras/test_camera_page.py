"""The public page of one camera."""

from app.vocabulary import Capability, Evidence
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
    make_event(action="approve", target_type="camera", target_id=camera.id, actor_id=moderator.id, reason="Clear photo")
    page = client.get(f"/cameras/{camera.id}").get_data(as_text=True)
    assert "Stari grad" in page
    assert "2026-11-01" in page
    assert "Clear photo" in page and "approve" in page
    assert "hidden.moderator" not in page
    assert "man_made=surveillance" in page and "camera:direction=45" in page and "check_date=2026-11-01" in page
    assert f"/report?confirms={camera.id}" in page
    assert "Huawei" in page


def test_an_unknown_camera_is_a_404(client):
    assert client.get("/cameras/987654").status_code == 404
