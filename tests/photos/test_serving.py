"""Every route that serves a photo's bytes gives the same answer: the audience decides the caching, never the route."""

from app.extensions import db
from app.moderation import photos as moderation_photos
from app.vocabulary import SightingState
from tests.factories import make_camera, make_moderator, make_sighting
from tests.web import new_client, sign_in

HEADERS = ("Cache-Control", "ETag", "Content-Type", "X-Content-Type-Options", "Content-Security-Policy")


def _urls(photo, camera_id: int) -> list[str]:
    return [
        f"/photos/{photo.display_key}",
        f"/cameras/{camera_id}/photos/{photo.id}/display",
        f"/moderation/photos/{photo.id}/display",
    ]


def test_a_verified_photo_is_answered_alike_on_every_route_and_changes_its_etag_when_blurred(app):
    camera = make_camera()
    sighting = make_sighting(photos=1, camera_id=camera.id, state=SightingState.APPROVED)
    photo = sighting.photos[0]
    moderator = make_moderator()
    client = new_client(app)
    sign_in(client, moderator)

    answers = [client.get(url) for url in _urls(photo, camera.id)]

    assert [answer.status_code for answer in answers] == [200, 200, 200]
    assert len({tuple(answer.headers.get(name) for name in HEADERS) for answer in answers}) == 1
    first = answers[0]
    # Public but short-lived and revalidated: never `immutable`, never a day.
    assert first.cache_control.public and first.cache_control.max_age == 300
    assert "immutable" not in first.headers["Cache-Control"]
    assert photo.display_key.split("/")[-1].split(".")[0] not in first.headers["ETag"]
    for url in _urls(photo, camera.id):
        assert client.get(url, headers={"If-None-Match": first.headers["ETag"]}).status_code == 304

    moderation_photos.blur(photo.id, moderation_photos.parse_regions('[{"x":0,"y":0,"w":0.5,"h":0.5}]'),
                           moderator, photo.sha256)  # fmt: skip
    db.session.refresh(photo)
    blurred = client.get(_urls(photo, camera.id)[1], headers={"If-None-Match": first.headers["ETag"]})

    assert blurred.status_code == 200 and blurred.headers["ETag"] != first.headers["ETag"]


def test_a_pending_photo_is_never_stored_by_a_cache_and_is_hidden_from_the_public(app, client):
    camera = make_camera()
    sighting = make_sighting(photos=1, confirms_camera_id=camera.id)
    photo = sighting.photos[0]
    moderator_client = new_client(app)
    sign_in(moderator_client, make_moderator())

    assert [client.get(url).status_code for url in _urls(photo, camera.id)[:2]] == [404, 404]
    for url in (_urls(photo, camera.id)[0], _urls(photo, camera.id)[2]):
        answer = moderator_client.get(url)
        assert answer.status_code == 200
        assert answer.headers["Cache-Control"] == "private, no-store" and "ETag" not in answer.headers
