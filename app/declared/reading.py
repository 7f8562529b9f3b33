"""Reading a declared list: CSV with latitude and longitude columns, or GeoJSON points; every bad row with its reason.

There is no geocoding (no outside service): a row that gives only an address is refused, with that reason.
"""

import csv
import io
import json
import math
from dataclasses import dataclass, field
from typing import Any

from flask_babel import lazy_gettext as _l

from app.geo import COORDINATE_DECIMALS, region
from app.input_guards import has_control_characters
from app.models.declared import DECLARED_TEXT_MAX

MAX_ROWS = 100_000
MAX_CAMERAS_AT_A_LOCATION = 10_000
# Column names a list may use (compared in lower case), in English and Serbian.
LATITUDE = ("lat", "latitude", "y", "sirina", "širina", "geografska_sirina")
LONGITUDE = ("lon", "lng", "long", "longitude", "x", "duzina", "dužina", "geografska_duzina")
CAMERAS = ("cameras", "camera_count", "count", "kamere", "broj_kamera", "broj")
LABEL = ("label", "name", "location", "lokacija", "naziv", "opis", "description")
ADDRESS = ("address", "adresa", "street", "ulica")

REASONS = {
    "address_only": _l("only an address, no coordinates: there is no geocoding, add latitude and longitude"),
    "no_coordinates": _l("no coordinates"),
    "not_a_number": _l("latitude or longitude is not a number"),
    "outside_region": _l("the point lies outside Serbia and Kosovo (are latitude and longitude swapped?)"),
    "outside_municipalities": _l("the point lies in no municipality"),
    "bad_cameras": _l("the number of cameras must be a whole number from 1 to 10000"),
    "bad_text": _l("a text is too long or contains characters we cannot store"),
    "not_a_point": _l("the geometry is not a point"),
    "not_a_feature": _l("not a GeoJSON feature"),
    "too_many_rows": _l("more than 100000 rows"),
    "unreadable": _l("the file is neither a CSV with a header line nor a GeoJSON FeatureCollection"),
}


@dataclass(frozen=True)
class Row:
    line: int
    lon: float
    lat: float
    cameras: int
    label: str | None
    address: str | None


@dataclass(frozen=True)
class Problem:
    line: int  # 0: the file as a whole
    code: str

    @property
    def reason(self) -> str:
        return str(REASONS[self.code])


@dataclass
class ParsedFile:
    rows: list[Row] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def _number(raw: Any) -> float | None:
    """A coordinate from a cell: 44.8176 or, as Serbian spreadsheets write it, 44,8176."""
    if isinstance(raw, bool):
        return None
    if isinstance(raw, int | float):
        value = float(raw)
    else:
        text = str(raw).strip().replace(",", ".")
        try:
            value = float(text)
        except ValueError:
            return None
    return value if math.isfinite(value) else None


def _text(raw: Any) -> str | None:
    text = " ".join(str(raw).split()) if raw not in (None, "") else ""
    return text or None


def _cameras(raw: Any) -> int | None:
    if raw in (None, ""):
        return 1
    value = _number(raw)
    if value is None or not value.is_integer() or not 1 <= value <= MAX_CAMERAS_AT_A_LOCATION:
        return None
    return int(value)


def _row(line: int, lat_raw: Any, lon_raw: Any, cameras_raw: Any, label_raw: Any, address_raw: Any) -> Row | Problem:
    """One row checked; the reasons in the order a person fixing the file needs them."""
    label, address = _text(label_raw), _text(address_raw)
    if _text(lat_raw) is None and _text(lon_raw) is None:
        return Problem(line, "address_only" if address or label else "no_coordinates")
    lat, lon = _number(lat_raw), _number(lon_raw)
    if lat is None or lon is None:
        return Problem(line, "not_a_number")
    (south, west), (north, east) = region.BOUNDS_WITH_MARGIN
    if not (south <= lat <= north and west <= lon <= east):
        return Problem(line, "outside_region")
    cameras = _cameras(cameras_raw)
    if cameras is None:
        return Problem(line, "bad_cameras")
    for text in (label, address):
        if text is not None and (len(text) > DECLARED_TEXT_MAX or has_control_characters(text)):
            return Problem(line, "bad_text")
    digits = COORDINATE_DECIMALS
    return Row(line, round(lon, digits), round(lat, digits), cameras, label, address)


def _column(header: list[str], names: tuple[str, ...]) -> int | None:
    for index, name in enumerate(header):
        if name in names:
            return index
    return None


def read_csv(text: str) -> ParsedFile:
    """Rows of a CSV (comma or semicolon separated, a header line naming the columns); lines counted from 1."""
    parsed = ParsedFile()
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = [name.strip().lower() for name in next(reader)]
    except (StopIteration, csv.Error):
        parsed.problems.append(Problem(0, "unreadable"))
        return parsed
    columns = [_column(header, names) for names in (LATITUDE, LONGITUDE, CAMERAS, LABEL, ADDRESS)]
    if columns[0] is None and columns[1] is None and columns[3] is None and columns[4] is None:
        parsed.problems.append(Problem(0, "unreadable"))
        return parsed

    def cell(cells: list[str], index: int | None) -> str:
        return cells[index] if index is not None and index < len(cells) else ""

    try:
        for cells in reader:
            line = reader.line_num
            if not any(value.strip() for value in cells):
                continue
            if len(parsed.rows) + len(parsed.problems) >= MAX_ROWS:
                parsed.problems.append(Problem(line, "too_many_rows"))
                break
            result = _row(line, *(cell(cells, index) for index in columns))
            (parsed.rows if isinstance(result, Row) else parsed.problems).append(result)
    except csv.Error:
        parsed.problems.append(Problem(reader.line_num, "unreadable"))
    return parsed


def _property(properties: dict[str, Any], names: tuple[str, ...]) -> Any:
    lowered = {str(key).lower(): value for key, value in properties.items()}
    return next((lowered[name] for name in names if name in lowered), None)


def read_geojson(data: Any) -> ParsedFile:
    """Rows of a GeoJSON FeatureCollection of points; a feature's 'line' is its number, from 1."""
    parsed = ParsedFile()
    features = data.get("features") if isinstance(data, dict) and data.get("type") == "FeatureCollection" else None
    if not isinstance(features, list):
        parsed.problems.append(Problem(0, "unreadable"))
        return parsed
    for number, feature in enumerate(features, start=1):
        if number > MAX_ROWS:
            parsed.problems.append(Problem(number, "too_many_rows"))
            break
        if not isinstance(feature, dict) or feature.get("type") != "Feature":
            parsed.problems.append(Problem(number, "not_a_feature"))
            continue
        properties = feature.get("properties") if isinstance(feature.get("properties"), dict) else {}
        values = [_property(properties, names) for names in (CAMERAS, LABEL, ADDRESS)]
        geometry = feature.get("geometry")
        if geometry is None:
            parsed.problems.append(_row(number, None, None, *values))  # address-only or nothing
            continue
        coordinates = geometry.get("coordinates") if isinstance(geometry, dict) else None
        if not isinstance(coordinates, list) or geometry.get("type") != "Point" or len(coordinates) < 2:
            parsed.problems.append(Problem(number, "not_a_point"))
            continue
        result = _row(number, coordinates[1], coordinates[0], *values)
        (parsed.rows if isinstance(result, Row) else parsed.problems).append(result)
    return parsed


def read_file(data: bytes, file_name: str = "") -> ParsedFile:
    """A CSV or GeoJSON list by its name (.csv, .geojson, .json), else by its first character."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return ParsedFile(problems=[Problem(0, "unreadable")])
    name = file_name.lower()
    looks_json = text.lstrip().startswith("{")
    if name.endswith((".geojson", ".json")) or (not name.endswith(".csv") and looks_json):
        try:
            return read_geojson(json.loads(text))
        except (ValueError, RecursionError):
            return ParsedFile(problems=[Problem(0, "unreadable")])
    return read_csv(text)
