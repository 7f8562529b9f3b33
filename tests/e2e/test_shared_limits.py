"""One client's report limit holds across app servers when the limits live in Redis (Debian's redis-server,
started by scripts/redis.sh): two gunicorn instances, each with two workers, the same key file, the same count,
and X-RateLimit headers that tell the truth whichever instance answers. Redis holds no address."""

import os
import subprocess
import uuid
from pathlib import Path

import pytest
import sqlalchemy as sa

from tests.e2e import server

SCRIPTS = Path(__file__).resolve().parents[2] / "scripts"
LIMIT = 6


@pytest.fixture(scope="module")
def redis(tmp_path_factory):
    env = {**os.environ, "REDIS_DIR": str(tmp_path_factory.mktemp("redis"))}
    subprocess.run([str(SCRIPTS / "redis.sh"), "start"], env=env, check=True, capture_output=True)
    url = subprocess.run([str(SCRIPTS / "redis.sh"), "url"], env=env, check=True, capture_output=True, text=True)
    yield url.stdout.strip()
    subprocess.run([str(SCRIPTS / "redis.sh"), "stop"], env=env, check=False, capture_output=True)


@pytest.fixture(scope="module")
def two_instances(app, redis, tmp_path_factory):
    shared = tmp_path_factory.mktemp("shared-keys")
    env = {
        "RATELIMIT_STORAGE_URI": redis,
        "RATE_LIMIT_KEY_FILE": str(shared / "rate_limit_key"),  # one file for both, as the README says to copy it
        "SUBMISSION_RATE_LIMIT": f"{LIMIT} per hour",
        "BASEMAP_FILE": app.config["BASEMAP_FILE"],
    }
    instances = [server.start(app.config["SQLALCHEMY_DATABASE_URI"], tmp_path_factory.mktemp(f"i{n}"), env)
                 for n in (1, 2)]  # fmt: skip
    yield instances
    engine = sa.create_engine(app.config["SQLALCHEMY_DATABASE_URI"], poolclass=sa.pool.NullPool)
    for instance in instances:
        instance.forget(engine)
        server.stop(instance)
    engine.dispose()


def _report(instance, session) -> "requests.Response":  # noqa: F821
    response = session.post(
        instance.url + "/api/v1/sightings",
        data={"lat": "44.8176", "lon": "20.4569", "note": "limit across servers"},
        headers={"Idempotency-Key": str(uuid.uuid4()), "Accept-Language": "sr-Latn"},
    )
    if response.status_code == 201:
        instance.remember(response.json()["reference"])
    return response


def test_one_client_has_one_limit_on_every_instance(two_instances, redis):
    first, second = two_instances
    client = first.session("127.0.0.41")  # one client, through either server
    answers = [_report((first, second)[n % 2], client) for n in range(LIMIT + 1)]

    assert [a.status_code for a in answers] == [201] * LIMIT + [429]
    assert [int(a.headers["X-RateLimit-Remaining"]) for a in answers[:LIMIT]] == list(range(LIMIT - 1, -1, -1))
    assert {a.headers["X-RateLimit-Limit"] for a in answers} == {str(LIMIT)}
    refused = answers[-1]
    assert "Retry-After" in refused.headers and refused.json()["error"]["code"]

    other = second.session("127.0.0.42")  # another client is not affected
    assert _report(first, other).status_code == 201

    socket = redis.removeprefix("redis+unix://")
    keys = subprocess.run(["redis-cli", "-s", socket, "--scan"], capture_output=True, text=True, check=True).stdout
    assert keys.strip() and "127.0.0" not in keys  # an HMAC, never the address
    for key in keys.split():
        ttl = int(subprocess.run(["redis-cli", "-s", socket, "ttl", key], capture_output=True, text=True).stdout)
        assert 0 < ttl <= 24 * 3600, key
    dump = subprocess.run(["redis-cli", "-s", socket, "--scan", "--pattern", "*"], capture_output=True, text=True)
    assert "127.0.0.41" not in dump.stdout
