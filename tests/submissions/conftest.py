import io
import uuid
from pathlib import Path

import pytest


def stored_files(directory: Path) -> list[Path]:
    return sorted(path for path in directory.rglob("*") if path.is_file()) if directory.exists() else []


@pytest.fixture
def post_sighting(client):
    """POST /api/v1/sightings as a phone app would."""

    def post(fields=None, photos=(), key=None, headers=None, **options):
        data = dict(fields or {})
        if photos:
            data["photos"] = [(io.BytesIO(body), name) for name, body in photos]
        sent_headers = {"Idempotency-Key": str(key or uuid.uuid4()), "Accept-Language": "en"}
        sent_headers.update(headers or {})
        return client.post(
            "/api/v1/sightings", data=data, headers=sent_headers, content_type="multipart/form-data", **options
        )

    return post
