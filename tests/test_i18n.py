def test_serbian_latin_is_the_default(client):
    html = client.get("/about").get_data(as_text=True)

    assert '<html lang="sr-Latn">' in html
    assert "Prijavi kameru" in html or "O projektu" in html


def test_english_on_request_and_remembered(client):
    html = client.get("/about?lang=en").get_data(as_text=True)
    assert '<html lang="en">' in html
    assert ">About<" in html

    again = client.get("/about").get_data(as_text=True)
    assert '<html lang="en">' in again


def test_accept_language_picks_english(client):
    html = client.get("/about", headers={"Accept-Language": "en-GB,en;q=0.9"}).get_data(as_text=True)

    assert '<html lang="en">' in html


def test_unknown_languages_fall_back_to_serbian(client):
    html = client.get("/about?lang=xx", headers={"Accept-Language": "de"}).get_data(as_text=True)

    assert '<html lang="sr-Latn">' in html
