import time
from datetime import UTC, datetime

import pytest

from app.photos.services import sweep_orphans
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


def _every_folder(root) -> list:
    return [root, *(path for path in root.rglob("*") if path.is_dir())]


def test_every_folder_carries_only_the_day_after_creates_deletes_and_sweeps(app, tmp_path, monkeypatch):
    midnight = datetime.now(UTC).replace(hour=0, minute=0, second=0, microsecond=0).timestamp()
    store = LocalStorage(tmp_path / "photos")
    keys = [store.put(b"x" * 100, ".jpg") for _ in range(20)]  # 20 keys: several fan-out folders
    assert all(folder.stat().st_mtime == midnight for folder in _every_folder(store.root))

    for key in keys[:10]:
        store.delete(key)
    assert all(folder.stat().st_mtime == midnight for folder in _every_folder(store.root))

    monkeypatch.setitem(app.config, "PHOTO_STORAGE_DIR", str(store.root))
    with app.app_context():
        sweep_orphans()  # no row names any of them: all are removed
    assert list(store.keys()) == []
    assert all(folder.stat().st_mtime == midnight for folder in _every_folder(store.root))


def test_the_sweep_removes_temporary_files_a_killed_worker_left(tmp_path, monkeypatch):
    store = LocalStorage(tmp_path / "photos")
    key = store.put(b"kept", ".jpg")
    folder = (store.root / key).parent
    stale = folder / ".tmp-abc123"
    stale.write_bytes(b"half a photo")
    time.sleep(0.3)
    fresh = folder / ".tmp-def456"
    fresh.write_bytes(b"a write in progress")
    # The inode change time cannot be set back from user space: move the clock on instead, to just under an
    # hour after the fresh file, so the stale one is just over an hour old.
    now = fresh.lstat().st_ctime + 3600 - 0.1
    monkeypatch.setattr("app.photos.storage.time.time", lambda: now)

    removed = store.remove_stale_temporaries(older_than_seconds=3600)

    assert removed == 1 and not stale.exists() and fresh.exists()
    assert (store.root / key).exists() and list(store.keys()) == [key]
