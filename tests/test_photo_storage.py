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
