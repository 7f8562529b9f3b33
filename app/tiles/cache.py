"""Built tiles kept per process, keyed by the map's data version, so a repeated tile costs no database query.

How an app server learns the data version: each process reads `map_data_version` (bumped by the database
triggers on every change to cameras, counts, figures or boundaries, whoever writes them) at most once every
CAMERA_TILES_VERSION_MAX_AGE seconds (1 s), and only while tiles are asked for. With several app servers each reads it
on its own, so after a change every server answers with the new data within that second; no LISTEN connection per
process and no shared cache are needed. A tile is always built in a snapshot at least as new as the version it is
stored under (the version is read first), so a cached tile is never older than its key.
"""

import gzip
import hashlib
import threading
import time
from collections import OrderedDict

from app.municipalities.density import data_version

# Part of every ETag: a deploy that changes what a tile holds must not be answered by a browser's old copy.
TILE_FORMAT = "cameras-1"


class VersionClock:
    """The current data version, read from the database at most once every `max_age` seconds per process."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._version: tuple | None = None
        self._read_at = float("-inf")

    def fresh(self, max_age: float) -> tuple | None:
        """The version read less than `max_age` seconds ago, or None when it must be read again."""
        version = self._version
        return version if version is not None and time.monotonic() - self._read_at < max_age else None

    def current(self, max_age: float) -> tuple:
        now = time.monotonic()
        if (version := self.fresh(max_age)) is not None:
            return version
        version = data_version()
        with self._lock:
            self._version, self._read_at = version, now
        return version


class TileCache:
    """Gzipped tiles of one data version, least recently used dropped first, at most `max_bytes` in all."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._version: tuple | None = None
        self._tiles: OrderedDict[tuple[int, int, int], bytes] = OrderedDict()
        self._bytes = 0

    def get(self, version: tuple, address: tuple[int, int, int]) -> bytes | None:
        with self._lock:
            if version != self._version:
                return None
            tile = self._tiles.get(address)
            if tile is not None:
                self._tiles.move_to_end(address)
            return tile

    def put(self, version: tuple, address: tuple[int, int, int], tile: bytes, max_bytes: int) -> None:
        if len(tile) > max_bytes:
            return
        with self._lock:
            if version != self._version:
                # A new version makes every kept tile stale: start again rather than let them age out.
                self._version, self._tiles, self._bytes = version, OrderedDict(), 0
            previous = self._tiles.pop(address, None)
            self._bytes += len(tile) - (len(previous) if previous is not None else 0)
            self._tiles[address] = tile
            while self._bytes > max_bytes:
                _, dropped = self._tiles.popitem(last=False)
                self._bytes -= len(dropped)

    def clear(self) -> None:
        with self._lock:
            self._version, self._tiles, self._bytes = None, OrderedDict(), 0


def tile_etag(version: tuple, z: int, x: int, y: int) -> str:
    """The ETag of the gzipped tile, known before it is built: the data version and the address decide its bytes."""
    key = "/".join(str(part) for part in (TILE_FORMAT, *version, z, x, y))
    return hashlib.sha256(key.encode()).hexdigest()[:32]


def gzip_tile(tile: bytes) -> bytes:
    """MVT compresses to about a third; level 6 (zlib's default) is within 2 % of level 9 at half its time."""
    return gzip.compress(tile, compresslevel=6, mtime=0)


versions = VersionClock()
tiles = TileCache()
