"""The daily secret that keys the rate limits: random and in memory for one server, derived from the shared key
file and the UTC date when the limits are shared (Redis), so every instance computes the same client key."""

from datetime import date

from app import security


def test_shared_limits_derive_the_same_secret_everywhere_and_a_new_one_each_day(app, monkeypatch, tmp_path):
    monkeypatch.setitem(app.config, "RATELIMIT_STORAGE_URI", "redis+unix:///nowhere.sock")
    monkeypatch.setitem(app.config, "RATE_LIMIT_KEY_FILE", str(tmp_path / "rate_limit_key"))
    monday, tuesday = date(2026, 11, 30), date(2026, 12, 1)

    first = security.daily_secret(monday)
    assert (tmp_path / "rate_limit_key").stat().st_mode & 0o777 == 0o600
    monkeypatch.setattr(security, "_daily_secret", {"day": None, "secret": b""})  # another process
    assert security.daily_secret(monday) == first and len(first) == 32
    assert security.daily_secret(tuesday) != first

    (tmp_path / "rate_limit_key").write_bytes(bytes(32))  # another key, another secret
    assert security.daily_secret(monday) != first


def test_limits_in_memory_use_a_random_secret_no_file_can_recompute(app, monkeypatch, tmp_path):
    monkeypatch.setitem(app.config, "RATELIMIT_STORAGE_URI", "memory://")
    monkeypatch.setitem(app.config, "RATE_LIMIT_KEY_FILE", str(tmp_path / "rate_limit_key"))
    monkeypatch.setattr(security, "_daily_secret", {"day": None, "secret": b""})
    today = date(2026, 12, 1)

    secret = security.daily_secret(today)
    assert security.daily_secret(today) == secret
    assert not (tmp_path / "rate_limit_key").exists()
    monkeypatch.setattr(security, "_daily_secret", {"day": None, "secret": b""})  # a restart
    assert security.daily_secret(today) != secret
