def test_healthz_tells_the_public_only_that_the_site_is_up(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.get_json() == {"status": "ok"}


def test_healthz_shows_admins_the_versions_and_all_municipalities(app):
    from app.vocabulary import Role
    from tests.factories import make_moderator
    from tests.web import new_client, sign_in

    moderator, admin = new_client(app), new_client(app)
    sign_in(moderator, make_moderator("mod@example.org"))
    sign_in(admin, make_moderator("admin@example.org", Role.ADMIN))

    assert moderator.get("/healthz").get_json() == {"status": "ok"}
    response = admin.get("/healthz")
    body = response.get_json()
    assert body["status"] == "ok"
    assert body["municipalities"] == 199
    assert body["database"]["postgresql"].split(".")[0].isdigit()
    assert body["database"]["postgis"].startswith("3.")
