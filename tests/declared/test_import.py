"""Importing declared lists: bad rows refused with their lines and reasons, nothing stored; address-only rows;
idempotent re-imports; newer versions; the CLI and the admin page."""

import io
import json
from datetime import date

import pytest
from sqlalchemy import func, select

from app.declared import services
from app.errors import ValidationFailed
from app.extensions import db
from app.models import DeclaredList, DeclaredLocation, ModerationEvent
from app.vocabulary import Role
from tests.factories import BECEJ, BECEJ_CODE, STARI_GRAD, make_moderator
from tests.web import csrf_token, new_client, sign_in

GOOD = f"lat,lon,cameras,label\n{STARI_GRAD[1]},{STARI_GRAD[0]},4,Knez Mihailova / Vasina\n{BECEJ[1]},{BECEJ[0]},,Trg\n"
BAD = (
    "lat;lon;cameras;address\n"
    f"{STARI_GRAD[1]};{STARI_GRAD[0]};2;Knez Mihailova 1\n"  # line 2: good (semicolons, as a Serbian Excel writes)
    ";;1;Bulevar kralja Aleksandra 73\n"  # line 3: an address only
    "44,80x;20,45;1;\n"  # line 4: not a number
    f"{STARI_GRAD[0]};{STARI_GRAD[1]};1;\n"  # line 5: latitude and longitude swapped
    f"{BECEJ[1]};{BECEJ[0]};0;\n"  # line 6: no cameras
    "47,4979;19,0402;1;Budapest\n"  # line 7: outside the region
    "46,2530;20,1480;1;Szeged\n"  # line 8: in Hungary, inside the region's margin: no municipality
    f"{BECEJ[1]};{BECEJ[0]};1.5;\n"  # line 9: half a camera
)
BAD_LINES = [3, 4, 5, 6, 7, 8, 9]


def _import(data: str | bytes, **options):
    values = {
        "source": "MUP RS, Safe City locations",
        "document_date": date(2021, 3, 1),
        "licence": "public information",
    }
    values.update(options)
    raw = data.encode() if isinstance(data, str) else data
    return services.import_list(raw, file_name=values.pop("file_name", "list.csv"), **values)


def _stored() -> tuple[int, int]:
    return db.session.scalar(select(func.count()).select_from(DeclaredList)), db.session.scalar(
        select(func.count()).select_from(DeclaredLocation)
    )


def test_a_file_with_bad_rows_stores_nothing_and_names_every_bad_row_with_its_reason():
    with pytest.raises(ValidationFailed) as refused:
        _import(BAD)
    rows = refused.value.details["rows"]
    assert [row["line"] for row in rows] == BAD_LINES
    reasons = {row["line"]: row["reason"] for row in rows}
    assert "no geocoding" in reasons[3] and "address" in reasons[3]
    assert "not a number" in reasons[4]
    assert "swapped" in reasons[5] and "swapped" in reasons[7]
    assert "whole number" in reasons[6] and "whole number" in reasons[9]
    assert "no municipality" in reasons[8]
    assert "7 rows" in refused.value.message
    assert _stored() == (0, 0)
    assert db.session.scalar(select(func.count()).select_from(ModerationEvent)) == 0


def test_an_address_only_list_is_refused_with_the_reason_there_is_no_geocoding():
    with pytest.raises(ValidationFailed) as refused:
        _import("address,cameras\nKnez Mihailova 1,3\nTerazije 5,2\n")
    assert [row["line"] for row in refused.value.details["rows"]] == [2, 3]
    assert all("no geocoding" in row["reason"] for row in refused.value.details["rows"])
    assert _stored() == (0, 0)


def test_with_the_flag_the_good_rows_are_stored_and_the_bad_ones_listed():
    report = _import(BAD, keep_good_rows=True)
    assert report.stored == 1 and report.cameras == 2
    assert [problem.line for problem in report.skipped] == BAD_LINES
    assert _stored() == (1, 1)
    [event] = db.session.scalars(select(ModerationEvent).where(ModerationEvent.action == "declared_import"))
    assert event.details["skipped_rows"] == BAD_LINES


def test_the_same_list_again_changes_nothing_and_a_newer_version_replaces_the_current_one_keeping_it():
    first = _import(GOOD)
    assert first.stored == 2 and first.cameras == 5 and first.became_current
    again = _import(GOOD.replace("\n", "\r\n"), document_date=date(2021, 4, 1))  # the same rows, another file
    assert again.unchanged and again.declared_list.id == first.declared_list.id
    assert _stored() == (1, 2)

    newer = _import(GOOD + f"{BECEJ[1] + 0.001},{BECEJ[0]},2,\n", document_date=date(2022, 1, 10))
    assert newer.became_current and newer.replaced.id == first.declared_list.id
    older = _import(GOOD.splitlines()[0] + "\n" + GOOD.splitlines()[1] + "\n", document_date=date(2020, 5, 1))
    assert not older.became_current  # an older document joins the history
    versions = db.session.scalars(select(DeclaredList).order_by(DeclaredList.document_date)).all()
    assert [(v.document_date.year, v.is_current) for v in versions] == [(2020, False), (2021, False), (2022, True)]
    assert _stored() == (3, 2 + 3 + 1)  # every version keeps its rows


def test_geojson_points_are_read_and_features_without_a_point_refused():
    collection = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": list(BECEJ)},
                "properties": {"Cameras": 6},
            },
            {"type": "Feature", "geometry": None, "properties": {"address": "Glavna 1, Bečej"}},
            {"type": "Feature", "geometry": {"type": "LineString", "coordinates": [[20, 45], [20.1, 45]]}},
        ],
    }
    with pytest.raises(ValidationFailed) as refused:
        _import(json.dumps(collection), file_name="becej.geojson")
    assert [(row["line"], "geocoding" in row["reason"]) for row in refused.value.details["rows"]] == [
        (2, True),
        (3, False),
    ]
    report = _import(json.dumps(collection), file_name="becej.geojson", keep_good_rows=True)
    assert report.stored == 1 and report.cameras == 6
    assert report.declared_list.locations[0].municipality.code == BECEJ_CODE  # assigned by the trigger


def test_the_cli_lists_every_bad_row_and_imports_with_the_flag(runner, tmp_path):
    path = tmp_path / "police.csv"
    path.write_text(BAD, encoding="utf-8")
    arguments = ["declared", "import", str(path), "--source", "MUP", "--date", "2021-03-01", "--licence", "public"]
    result = runner.invoke(args=arguments)
    assert result.exit_code == 1
    for line in BAD_LINES:
        assert f"line {line}:" in result.output
    assert "Nothing was stored" in result.output
    assert _stored() == (0, 0)
    result = runner.invoke(args=[*arguments, "--keep-good-rows"])
    assert result.exit_code == 0, result.output
    assert "1 locations, 2 cameras, 7 rows skipped; current" in result.output
    result = runner.invoke(args=[*arguments, "--keep-good-rows"])
    assert "Unchanged" in result.output and _stored() == (1, 1)


def test_the_admin_page_imports_a_list_with_csrf_and_only_for_admins(app, client):
    assert client.get("/admin/declared").status_code in (302, 401, 403)
    moderator = make_moderator("mod@example.org")
    moderator_client = new_client(app)
    sign_in(moderator_client, moderator)
    assert moderator_client.get("/admin/declared").status_code == 403
    admin = make_moderator("admin@example.org", Role.ADMIN)
    sign_in(client, admin)
    page = client.get("/admin/declared?lang=en")
    assert page.status_code == 200
    fields = {"source": "MUP RS", "document_date": "2021-03-01", "licence": "public information"}
    without_token = client.post("/admin/declared", data={**fields, "file": (io.BytesIO(GOOD.encode()), "l.csv")})
    assert without_token.status_code in (400, 403) and _stored() == (0, 0)

    token = csrf_token(page.get_data(as_text=True))
    bad = client.post(
        "/admin/declared?lang=en",
        data={**fields, "csrf_token": token, "file": (io.BytesIO(BAD.encode()), "bad.csv")},
        content_type="multipart/form-data",
    )
    assert bad.status_code == 422
    html = bad.get_data(as_text=True)
    assert "no geocoding" in html and "Nothing was stored" in html
    for line in BAD_LINES:
        assert f"<tr><td>{line}</td>" in html
    assert _stored() == (0, 0)

    good = client.post(
        "/admin/declared?lang=en",
        data={**fields, "csrf_token": token, "file": (io.BytesIO(GOOD.encode()), "good.csv")},
        content_type="multipart/form-data",
    )
    assert good.status_code == 302
    listing = client.get("/admin/declared?lang=en").get_data(as_text=True)
    assert "MUP RS" in listing and "2 locations imported." in listing
    [event] = db.session.scalars(select(ModerationEvent).where(ModerationEvent.action == "declared_import"))
    assert event.actor_id == admin.id
