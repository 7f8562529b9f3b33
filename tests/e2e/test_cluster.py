"""Several app servers for real (scripts/cluster.sh, as `make cluster` starts them): the embedded PostgreSQL and its
streaming replica, Redis, SeaweedFS, two gunicorn instances and nginx in front, on free loopback ports.

A photo sent through one instance is served by the other from the object store and lies on neither disk; one
client's limit holds through nginx whichever instance answers; a session made by one instance works on the other;
killing an instance loses no acknowledged report; nginx serves a repeated tile from its cache and never caches
what belongs to a session."""

import os
import re
import signal
import subprocess
import uuid
from pathlib import Path

import pytest
import requests
import sqlalchemy as sa

from tests.e2e.server import SourceAddressAdapter, free_port
from tests.photocorpus import photo

SCRIPTS = Path(__file__).resolve().parents[2] / "scripts"
LIMIT = 5
HERE = {"lat": "44.8176", "lon": "20.4569"}


def _session(source: str = "127.0.0.1") -> requests.Session:
    session = requests.Session()
    session.mount("http://", SourceAddressAdapter(source))
    return session


@pytest.fixture(scope="module")
def cluster(app, object_store, tmp_path_factory):
    root = tmp_path_factory.mktemp("cluster")
    apps = [f"127.0.0.1:{free_port()}", f"127.0.0.1:{free_port()}"]
    listen = f"127.0.0.1:{free_port()}"
    database = app.config["SQLALCHEMY_DATABASE_URI"]
    name = sa.engine.make_url(database).database
    subprocess.run([str(SCRIPTS / "postgis.sh"), "replica-start"], check=True, capture_output=True)
    replica = subprocess.run([str(SCRIPTS / "postgis.sh"), "replica-url", name], capture_output=True, text=True)
    env = {
        **os.environ,
        "DATABASE_URL": database,
        "REPLICA_DATABASE_URL": replica.stdout.strip(),
        "CLUSTER_DIR": str(root / "run"),
        "CLUSTER_LISTEN": listen,
        "CLUSTER_APPS": " ".join(apps),
        "REDIS_DIR": str(root / "redis"),
        **object_store.env,  # the suite's SeaweedFS (tests/stores.py), under a prefix of the cluster's own
        "PHOTO_STORAGE_URL": f"s3://{object_store.bucket}/cluster-{uuid.uuid4().hex[:8]}",
        "NGINX_DIR": str(root / "nginx"),
        "INSTANCE_DIR": str(root / "instance"),  # one set of keys for both, as copied to every machine
        "PHOTO_STORAGE_DIR": str(root / "disk-photos"),  # must stay empty: the photos go to the object store
        "BASEMAP_FILE": app.config["BASEMAP_FILE"],
        "SUBMISSION_RATE_LIMIT": f"{LIMIT} per hour",
        "SESSION_COOKIE_SECURE": "false",
        "WEB_CONCURRENCY": "2",
    }
    started = subprocess.run([str(SCRIPTS / "cluster.sh"), "start"], env=env, capture_output=True, text=True)
    assert started.returncode == 0, started.stderr
    engine = sa.create_engine(database, poolclass=sa.pool.NullPool)
    state = {"apps": [f"http://{a}" for a in apps], "nginx": f"http://{listen}", "root": root, "env": env,
             "engine": engine, "references": [], "store": object_store}  # fmt: skip
    yield state
    subprocess.run([str(SCRIPTS / "cluster.sh"), "stop"], env=env, capture_output=True)
    with engine.begin() as connection:
        connection.execute(sa.text("DELETE FROM sightings WHERE reference = ANY(:r)"), {"r": state["references"]})
    engine.dispose()


def _report(cluster, base: str, session: requests.Session, photos=None) -> requests.Response:
    response = session.post(
        base + "/api/v1/sightings",
        data={**HERE, "note": "through the cluster"},
        files=photos,
        headers={"Idempotency-Key": str(uuid.uuid4())},
    )
    if response.status_code == 201:
        cluster["references"].append(response.json()["reference"])
    return response


def test_a_photo_sent_through_one_instance_is_served_by_the_other_from_the_store(cluster):
    first, second = cluster["apps"]
    sent = _report(cluster, first, _session(), {"photos": ("IMG_1.JPG", photo("jpeg-orientation-1").read_bytes())})
    assert sent.status_code == 201, sent.text
    with cluster["engine"].begin() as connection:  # what a moderator's approval would make public
        sighting_id, key = connection.execute(sa.text(
            "SELECT s.id, p.display_key FROM sightings s JOIN photos p ON p.sighting_id = s.id WHERE s.reference = :r"
        ), {"r": sent.json()["reference"]}).one()  # fmt: skip
        camera = connection.scalar(sa.text(
            "INSERT INTO cameras (location, status, first_confirmed_on, last_confirmed_on, confirmation_count, "
            "version, surveillance_type) "
            "SELECT location, 'active', submitted_on, submitted_on, 1, 1, surveillance_type FROM sightings "
            "WHERE id = :id RETURNING id"
        ), {"id": sighting_id})  # fmt: skip
        connection.execute(sa.text("UPDATE sightings SET state = 'approved', camera_id = :c WHERE id = :id"),
                           {"c": camera, "id": sighting_id})  # fmt: skip
    try:
        served = _session().get(f"{second}/photos/{key}")
        assert served.status_code == 200 and served.headers["Content-Type"] == "image/jpeg"
        assert not any(Path(cluster["env"]["PHOTO_STORAGE_DIR"]).rglob("*.jpg"))  # on neither disk
        prefix = cluster["env"]["PHOTO_STORAGE_URL"].split("/", 3)[3]
        assert f"{prefix}/{key}" in cluster["store"].keys(prefix + "/")  # the object store holds it
    finally:
        with cluster["engine"].begin() as connection:
            connection.execute(sa.text("UPDATE sightings SET state = 'pending', camera_id = NULL WHERE id = :id"),
                               {"id": sighting_id})  # fmt: skip
            connection.execute(sa.text("DELETE FROM cameras WHERE id = :c"), {"c": camera})


def test_one_client_has_one_limit_through_nginx(cluster):
    client = _session("127.0.0.61")
    answers = [_report(cluster, cluster["nginx"], client) for _ in range(LIMIT + 1)]
    assert [a.status_code for a in answers] == [201] * LIMIT + [429]
    assert [a.headers["X-RateLimit-Remaining"] for a in answers[:LIMIT]] == [str(n) for n in range(LIMIT - 1, -1, -1)]
    assert _report(cluster, cluster["nginx"], _session("127.0.0.62")).status_code == 201  # another client


def test_a_session_from_one_instance_works_on_the_other(cluster):
    first, second = cluster["apps"]
    browser = _session("127.0.0.63")
    page = browser.get(first + "/report?lang=en").text
    token = re.search(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"', page).group(1)
    key = re.search(r'name="idempotency_key" (?:type="hidden" )?value="([^"]+)"', page).group(1)
    form = {"csrf_token": token, "idempotency_key": key, **HERE, "note": "session across instances"}
    answer = browser.post(second + "/report?lang=en", data=form, headers={"Origin": cluster["nginx"]},
                          allow_redirects=False)  # fmt: skip
    assert answer.status_code in (302, 303), answer.text[:300]  # the second instance took the first one's session
    cluster["references"].append(answer.headers["Location"].split("/report/thanks/")[1].split("?")[0])


def test_killing_one_instance_loses_no_acknowledged_report(cluster):
    pid = int((cluster["root"] / "run" / "app-1.pid").read_text())
    os.kill(pid, signal.SIGKILL)
    client = _session("127.0.0.64")
    answers = [_report(cluster, cluster["nginx"], client) for _ in range(3)]
    acknowledged = [a.json()["reference"] for a in answers if a.status_code == 201]
    assert len(acknowledged) == 3  # nginx passed each to the living instance before sending a byte to the dead one
    with cluster["engine"].connect() as connection:
        kept = connection.scalar(
            sa.text("SELECT count(*) FROM sightings WHERE reference = ANY(:r)"), {"r": acknowledged}
        )
    assert kept == 3


def test_nginx_caches_public_tiles_and_nothing_of_a_session(cluster):
    nginx, client = cluster["nginx"], _session()
    home = client.get(nginx + "/?lang=en").text
    tile_url = re.search(r"/basemap/([0-9a-f]{12})/", home.replace("&#34;", '"'))
    assert tile_url, home[:1500]
    url = f"{nginx}/basemap/{tile_url.group(1)}/8/142/92.pbf"
    headers = {"Accept-Encoding": "gzip"}
    statuses = [client.get(url, headers=headers).headers["X-Cache-Status"] for _ in range(2)]
    assert statuses[-1] == "HIT"
    pages = [client.get(nginx + "/report?lang=en") for _ in range(2)]
    assert all("Set-Cookie" in p.headers and p.headers["X-Cache-Status"] != "HIT" for p in pages)
    with_session = client.get(url, headers={**headers, "Cookie": "session=anything"})
    assert with_session.headers["X-Cache-Status"] == "BYPASS"
