def test_healthz_reports_versions_and_all_municipalities(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    body = response.get_json()
    assert body["status"] == "ok"
    assert body["municipalities"] == 199
    assert body["database"]["postgresql"].split(".")[0].isdigit()
    assert body["database"]["postgis"].startswith("3.")
