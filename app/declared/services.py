"""Importing declared lists (a version per import, the newest by date current) and reading them back."""

from dataclasses import dataclass, field
from datetime import date
from urllib.parse import urlsplit

from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import ARRAY, Float, Integer, Text, bindparam, func, select, text
from sqlalchemy.orm import Session

from app.declared.reading import ParsedFile, Problem, Row, read_file
from app.errors import ValidationFailed
from app.extensions import db
from app.input_guards import has_control_characters
from app.models import DeclaredList, DeclaredLocation, User
from app.models.declared import DECLARED_LICENCE_MAX, DECLARED_SOURCE_MAX
from app.moderation import events
from app.moderation.content import sha256

# Serialises imports of lists, so two imports of the same source cannot both become its current version.
IMPORT_LOCK = 7_460_017

# The rows, by line, that lie in no municipality: decided by PostGIS on the real boundaries, as the trigger will.
OUTSIDE_MUNICIPALITIES = text(
    """
    SELECT r.line FROM unnest(:lines, :lons, :lats) AS r(line, lon, lat)
    WHERE NOT EXISTS (SELECT 1 FROM municipalities AS m
                      WHERE ST_Covers(m.boundary, ST_SetSRID(ST_MakePoint(r.lon, r.lat), 4326)))
    """
).bindparams(
    bindparam("lines", type_=ARRAY(Integer)),
    bindparam("lons", type_=ARRAY(Float)),
    bindparam("lats", type_=ARRAY(Float)),
)
INSERT_LOCATIONS = text(
    """
    INSERT INTO declared_locations (list_id, line, location, cameras, label, address)
    SELECT :list_id, r.line, ST_SetSRID(ST_MakePoint(r.lon, r.lat), 4326), r.cameras, r.label, r.address
    FROM unnest(:lines, :lons, :lats, :cameras, :labels, :addresses) AS r(line, lon, lat, cameras, label, address)
    """
).bindparams(
    bindparam("lines", type_=ARRAY(Integer)),
    bindparam("lons", type_=ARRAY(Float)),
    bindparam("lats", type_=ARRAY(Float)),
    bindparam("cameras", type_=ARRAY(Integer)),
    bindparam("labels", type_=ARRAY(Text)),
    bindparam("addresses", type_=ARRAY(Text)),
)


@dataclass
class ImportReport:
    declared_list: DeclaredList
    stored: int = 0
    cameras: int = 0
    unchanged: bool = False  # this content was imported before: nothing was changed
    became_current: bool = False
    replaced: DeclaredList | None = None  # the version that was current before
    skipped: list[Problem] = field(default_factory=list)


def _check_metadata(source: str, document_date: date, licence: str, source_url: str | None) -> dict[str, str]:
    errors: dict[str, str] = {}
    if not 0 < len(source) <= DECLARED_SOURCE_MAX or has_control_characters(source):
        errors["source"] = _("Name the source of the list (up to 300 characters).")
    if not 0 < len(licence) <= DECLARED_LICENCE_MAX or has_control_characters(licence):
        errors["licence"] = _("Give the licence or terms of the list (up to 200 characters).")
    if not isinstance(document_date, date) or document_date > date.today() or document_date.year < 1990:
        errors["document_date"] = _("The document date must be a real past date.")
    if source_url:
        parts = urlsplit(source_url)
        if parts.scheme not in {"http", "https"} or not parts.netloc or len(source_url) > 500:
            errors["source_url"] = _("Give the web address of the source document (http or https).")
    return errors


def _columns(rows: list[Row]) -> dict[str, list]:
    return {
        "lines": [row.line for row in rows],
        "lons": [row.lon for row in rows],
        "lats": [row.lat for row in rows],
        "cameras": [row.cameras for row in rows],
        "labels": [row.label for row in rows],
        "addresses": [row.address for row in rows],
    }


def _outside_municipalities(parsed: ParsedFile) -> None:
    if not parsed.rows:
        return
    columns = _columns(parsed.rows)
    outside = set(db.session.scalars(OUTSIDE_MUNICIPALITIES, {key: columns[key] for key in ("lines", "lons", "lats")}))
    if outside:
        parsed.problems.extend(
            Problem(row.line, "outside_municipalities") for row in parsed.rows if row.line in outside
        )
        parsed.problems.sort(key=lambda problem: problem.line)
        parsed.rows = [row for row in parsed.rows if row.line not in outside]


def refusal(problems: list[Problem]) -> ValidationFailed:
    """The error of a file with bad rows: each one's line and reason in `details["rows"]`; nothing was stored."""
    message = ngettext(
        "The list was not imported: %(num)d row is not usable. Nothing was stored.",
        "The list was not imported: %(num)d rows are not usable. Nothing was stored.",
        len(problems),
    )
    return ValidationFailed(message, {"rows": [{"line": p.line, "reason": p.reason} for p in problems]})


def import_list(
    data: bytes,
    *,
    source: str,
    document_date: date,
    licence: str,
    file_name: str = "",
    source_url: str | None = None,
    keep_good_rows: bool = False,
    imported_by: User | None = None,
) -> ImportReport:
    """Store a declared list as a new version of its source's list; raises ValidationFailed, storing nothing,
    on bad metadata or on any bad row (unless `keep_good_rows`: then the good rows are stored, the bad listed)."""
    source, licence, source_url = (source or "").strip(), (licence or "").strip(), (source_url or "").strip() or None
    errors = _check_metadata(source, document_date, licence, source_url)
    if errors:
        raise ValidationFailed(_("The list was not imported. Please correct the marked fields."), errors)
    parsed = read_file(data, file_name)
    _outside_municipalities(parsed)
    whole_file = [problem for problem in parsed.problems if problem.line == 0]
    if whole_file or not parsed.rows or (parsed.problems and not keep_good_rows):
        raise refusal(parsed.problems or [Problem(0, "no_coordinates")])

    content = sha256([[row.lon, row.lat, row.cameras, row.label, row.address] for row in parsed.rows])
    session: Session = db.session
    session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": IMPORT_LOCK})
    known = session.scalar(
        select(DeclaredList).where(DeclaredList.source == source, DeclaredList.content_sha256 == content)
    )
    if known is not None:
        session.commit()
        return ImportReport(known, unchanged=True, skipped=parsed.problems)

    current = session.scalar(select(DeclaredList).where(DeclaredList.source == source, DeclaredList.is_current))
    # The newest document is the current version; an older one imported later joins the history.
    becomes_current = current is None or document_date >= current.document_date
    if becomes_current and current is not None:
        current.is_current = False
        session.flush()
    declared = DeclaredList(
        source=source,
        source_url=source_url,
        document_date=document_date,
        licence=licence,
        content_sha256=content,
        file_name=(file_name or "")[-200:] or None,
        is_current=becomes_current,
        imported_by_id=imported_by.id if imported_by is not None else None,
    )
    session.add(declared)
    session.flush()
    session.execute(INSERT_LOCATIONS, {"list_id": declared.id, **_columns(parsed.rows)})
    cameras = sum(row.cameras for row in parsed.rows)
    details = {
        "source": source,
        "document_date": document_date.isoformat(),
        "licence": licence,
        "locations": len(parsed.rows),
        "cameras": cameras,
        "current": becomes_current,
        "skipped_rows": [problem.line for problem in parsed.problems],
    }
    events.record(
        imported_by, events.Action.DECLARED_IMPORT, "declared_list", declared.id, after=content, details=details
    )
    session.commit()
    return ImportReport(
        declared,
        stored=len(parsed.rows),
        cameras=cameras,
        became_current=becomes_current,
        replaced=current if becomes_current else None,
        skipped=parsed.problems,
    )


@dataclass
class ListVersion:
    declared_list: DeclaredList
    locations: int
    cameras: int


def list_versions() -> list[ListVersion]:
    """Every version of every list, the current ones first, newest first within a source."""
    counts = (
        select(
            DeclaredLocation.list_id,
            func.count().label("locations"),
            func.sum(DeclaredLocation.cameras).label("cameras"),
        )
        .group_by(DeclaredLocation.list_id)
        .subquery()
    )
    rows = db.session.execute(
        select(DeclaredList, func.coalesce(counts.c.locations, 0), func.coalesce(counts.c.cameras, 0))
        .outerjoin(counts, counts.c.list_id == DeclaredList.id)
        .order_by(DeclaredList.source, DeclaredList.is_current.desc(), DeclaredList.document_date.desc(),
                  DeclaredList.id.desc())
    ).all()  # fmt: skip
    return [ListVersion(declared, int(locations), int(cameras)) for declared, locations, cameras in rows]


def current_lists_in(municipality_id: int) -> list[ListVersion]:
    """The current lists with locations in a municipality, with how many locations and cameras they put there."""
    rows = db.session.execute(
        select(DeclaredList, func.count(DeclaredLocation.id), func.sum(DeclaredLocation.cameras))
        .join(DeclaredLocation, DeclaredLocation.list_id == DeclaredList.id)
        .where(DeclaredList.is_current, DeclaredLocation.municipality_id == municipality_id)
        .group_by(DeclaredList.id)
        .order_by(DeclaredList.document_date.desc(), DeclaredList.id.desc())
    ).all()
    return [ListVersion(declared, int(locations), int(cameras)) for declared, locations, cameras in rows]
