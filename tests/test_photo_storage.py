import pytest

from app.photos.storage import LocalStorage


def test_stored_bytes_come_back_under_a_random_key(tmp_path):
    store = LocalStorage(tmp_path)

    first = store.put(b"one", ".jpg")
    second = store.put(b"one", ".jpg")

    assert first != second and first.endswith(".jpg")
    assert store.open(first) == b"one"
    assert sorted(store.keys()) == sorted([first, second])


def test_deleted_and_foreign_keys_are_not_found(tmp_path):
    store = LocalStorage(tmp_path / "photos")
    key = store.put(b"x", ".webp")
    store.delete(key)
    store.delete(key)  # idempotent

    with pytest.raises(KeyError):
        store.open(key)
    with pytest.raises(KeyError):
        store.open("../../etc/passwd")


def test_stored_files_and_their_folder_carry_only_the_day(tmp_path):
    from datetime import UTC, datetime

    store = LocalStorage(tmp_path)
    key = store.put(b"x", ".jpg")

    midnight = datetime.now(UTC).replace(hour=0, minute=0, second=0, microsecond=0).timestamp()
    for path in (tmp_path / key, (tmp_path / key).parent):
        stat = path.stat()
        assert stat.st_mtime == midnight
        assert stat.st_atime == midnight
