"""MBTiles 1.3 (a SQLite file of z/x/y tiles and their metadata): the one place that reads or writes the format.

Why MBTiles and not PMTiles: a tile is one indexed SELECT from Python's own sqlite3, so the app serves plain
z/x/y responses (200, cacheable by the service worker; PMTiles in the browser means 206 range requests), GDAL's
MVT driver writes it directly, and `pmtiles convert` turns a PMTiles archive into it.
"""

import gzip
import hashlib
import json
import os
import sqlite3
import threading
from dataclasses import dataclass, field
from pathlib import Path

# Tile formats we serve, with their media types. pbf: Mapbox Vector Tiles, gzip-compressed by convention.
MEDIA_TYPES = {
    "pbf": "application/vnd.mapbox-vector-tile",
    "png": "image/png",
    "jpg": "image/jpeg",
    "webp": "image/webp",
}
VECTOR = "pbf"
GZIP_MAGIC = b"\x1f\x8b"
MAX_ZOOM = 22
# The metadata row our own writers and `flask basemap import` add: a digest of the tiles, so every app server
# that reads the same file gives the same version (the version is part of the tile URLs).
VERSION_KEY = "hiljade_version"

_SCHEMA = """
CREATE TABLE metadata (name TEXT NOT NULL, value TEXT);
CREATE UNIQUE INDEX metadata_name ON metadata (name);
CREATE TABLE tiles (zoom_level INTEGER, tile_column INTEGER, tile_row INTEGER, tile_data BLOB);
CREATE UNIQUE INDEX tile_index ON tiles (zoom_level, tile_column, tile_row);
"""


class InvalidTileset(Exception):
    """The file is not an MBTiles file we can serve; the message says why."""


@dataclass(frozen=True)
class Tileset:
    """What a tileset's metadata says, read once per version of the file."""

    path: Path
    format: str
    minzoom: int
    maxzoom: int
    version: str
    metadata: dict[str, str] = field(repr=False)

    @property
    def is_vector(self) -> bool:
        return self.format == VECTOR

    @property
    def media_type(self) -> str:
        return MEDIA_TYPES[self.format]

    @property
    def vector_layers(self) -> list[str]:
        try:
            return [layer["id"] for layer in json.loads(self.metadata.get("json") or "{}").get("vector_layers", [])]
        except (ValueError, TypeError, AttributeError, KeyError):
            return []


def _connect(path: Path) -> sqlite3.Connection:
    # Read-only and immutable: the file is replaced whole (os.replace), never changed in place, so no locks.
    return sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro&immutable=1", uri=True, check_same_thread=False)


def _zoom(metadata: dict[str, str], key: str, tiles: sqlite3.Connection, aggregate: str) -> int:
    value = metadata.get(key)
    if value is None or not value.strip().isdigit():
        value = tiles.execute(f"SELECT {aggregate}(zoom_level) FROM tiles").fetchone()[0]  # noqa: S608
    if value is None or not 0 <= int(value) <= MAX_ZOOM:
        raise InvalidTileset(f"{key} must be a zoom level from 0 to {MAX_ZOOM}")
    return int(value)


def read_tileset(path: str | Path) -> Tileset:
    """The tileset at `path`, checked: a SQLite file with MBTiles' two tables, a format we serve, and tiles."""
    path = Path(path)
    if not path.is_file():
        raise InvalidTileset(f"{path} is not a file")
    try:
        connection = _connect(path)
        try:
            metadata = {str(name): str(value) for name, value in connection.execute("SELECT name, value FROM metadata")}
            first = connection.execute("SELECT tile_data FROM tiles LIMIT 1").fetchone()
            tile_format = metadata.get("format", "").lower().replace("jpeg", "jpg")
            if tile_format not in MEDIA_TYPES:
                raise InvalidTileset(f"format {metadata.get('format')!r} is not one of {', '.join(MEDIA_TYPES)}")
            if first is None:
                raise InvalidTileset("it holds no tiles")
            minzoom = _zoom(metadata, "minzoom", connection, "min")
            maxzoom = _zoom(metadata, "maxzoom", connection, "max")
        finally:
            connection.close()
    except sqlite3.DatabaseError as error:
        raise InvalidTileset(f"not an MBTiles file ({error})") from error
    version = metadata.get(VERSION_KEY) or _metadata_digest(metadata, path.stat().st_size)
    return Tileset(path, tile_format, minzoom, maxzoom, version[:12], metadata)


def _metadata_digest(metadata: dict[str, str], size: int) -> str:
    """A version for a file no command of ours wrote: its metadata and size (the same on every server)."""
    text = json.dumps(sorted(metadata.items())) + str(size)
    return hashlib.sha256(text.encode()).hexdigest()


class Reader:
    """Tiles of one file, from one connection per thread, reopened when the file is replaced."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self._local = threading.local()
        self._lock = threading.Lock()
        self._stat: tuple | None = None
        self._tileset: Tileset | None = None

    def tileset(self) -> Tileset | None:
        """The file's tileset as it is now (None when there is no file); a stat() per call, a read per change."""
        try:
            stat = os.stat(self.path)
        except FileNotFoundError:
            return None
        key = (stat.st_ino, stat.st_mtime_ns, stat.st_size)
        if key != self._stat:
            with self._lock:
                if key != self._stat:
                    self._tileset = read_tileset(self.path)
                    self._stat = key
        return self._tileset

    def tile(self, z: int, x: int, y: int) -> bytes | None:
        """The stored bytes of tile z/x/y (XYZ numbering; MBTiles rows count from the south), or None."""
        connection = getattr(self._local, "connection", None)
        if connection is None or self._local.stat != self._stat:
            if connection is not None:
                connection.close()
            connection = self._local.connection = _connect(self.path)
            self._local.stat = self._stat
        row = connection.execute(
            "SELECT tile_data FROM tiles WHERE zoom_level = ? AND tile_column = ? AND tile_row = ?",
            (z, x, (1 << z) - 1 - y),
        ).fetchone()
        return bytes(row[0]) if row else None


def is_gzipped(data: bytes) -> bool:
    return data[:2] == GZIP_MAGIC


class Writer:
    """Writes a new MBTiles file at `path` (through a temporary file, so readers never see half of it)."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.partial = self.path.with_name(self.path.name + ".partial")
        self.partial.unlink(missing_ok=True)
        self.connection = sqlite3.connect(self.partial)
        self.connection.executescript(_SCHEMA)
        self.digest = hashlib.sha256()

    def add_tile(self, z: int, x: int, y: int, data: bytes, compress: bool) -> None:
        body = gzip.compress(data, mtime=0) if compress else data
        self.digest.update(f"{z}/{x}/{y}:".encode() + body)
        self.connection.execute("INSERT INTO tiles VALUES (?, ?, ?, ?)", (z, x, (1 << z) - 1 - y, body))

    def finish(self, metadata: dict[str, str]) -> Path:
        """Write the metadata (and the digest as the version), then put the file in place."""
        rows = {**metadata, VERSION_KEY: self.digest.hexdigest()}
        self.connection.executemany("INSERT INTO metadata VALUES (?, ?)", rows.items())
        self.connection.commit()
        self.connection.close()
        os.replace(self.partial, self.path)
        return self.path


def copy_with_version(source: Path, target: Path, attribution: str | None) -> Path:
    """Copy an MBTiles file to `target`, adding our version row (a digest of its bytes) and the attribution."""
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".partial")
    digest = hashlib.sha256()
    with source.open("rb") as reading, partial.open("wb") as writing:
        while chunk := reading.read(1 << 20):
            digest.update(chunk)
            writing.write(chunk)
    connection = sqlite3.connect(partial)
    try:
        with connection:
            connection.execute("DELETE FROM metadata WHERE name = ?", (VERSION_KEY,))
            connection.execute("INSERT INTO metadata VALUES (?, ?)", (VERSION_KEY, digest.hexdigest()))
            if attribution is not None:
                connection.execute("DELETE FROM metadata WHERE name = 'attribution'")
                connection.execute("INSERT INTO metadata VALUES ('attribution', ?)", (attribution,))
    finally:
        connection.close()
    os.replace(partial, target)
    return target
