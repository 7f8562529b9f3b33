"""`flask data snapshot|verify` and `flask osm import FILE`."""

import click
from flask.cli import AppGroup

from app.errors import DomainError
from app.opendata import log_anchor, osm, snapshots

data_cli = AppGroup("data", help="Open data snapshots.")
osm_cli = AppGroup("osm", help="OpenStreetMap exchange.")


@data_cli.command("snapshot")
def snapshot_command() -> None:
    """Write a dated, signed snapshot of the open data into SNAPSHOT_DIR."""
    path = snapshots.create_snapshot()
    click.echo(f"snapshot written: {path}")
    click.echo(f"public key: {snapshots.public_key()}")
    head = snapshots.published_log_head()
    if head is not None:
        click.echo(f"moderation log head: {head.hash} (event {head.event_id})")
    # The snapshot is published as the database stands; an operator learns here, before any mirror does, that the
    # log was rewritten since the previous one.
    for problem in log_anchor.continuity_problems(snapshots.snapshots_in(snapshots.snapshot_dir())[-2:]):
        click.echo(f"WARNING: {problem}", err=True)


@data_cli.command("verify")
@click.argument("directory", type=click.Path(exists=True, file_okay=False))
@click.option("--public-key", "key", help="base64 Ed25519 public key (default: this site's own key)")
@click.option("--database", is_flag=True, help="also compare this site's moderation log with the published hashes")
def verify_command(directory: str, key: str | None, database: bool) -> None:
    """Check downloaded snapshots (one, or a directory of them): signatures, every file's SHA-256, and that each
    snapshot's moderation log continues the previous one's."""
    problems = snapshots.verify_snapshots(directory, key, against_database=database)
    if problems:
        for problem in problems:
            click.echo(f"FAILED: {problem}", err=True)
        raise SystemExit(1)
    count = len(snapshots.snapshots_in(directory))
    click.echo(f"OK: {count} snapshot(s) in {directory} signed by the key, unaltered, their moderation log unbroken")


@osm_cli.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
def import_command(file: str) -> None:
    """Create pending sightings from an Overpass API JSON result (nodes with man_made=surveillance)."""
    try:
        report = osm.import_overpass(file)
    except DomainError as error:
        click.echo(f"{error.message} {error.details or ''}", err=True)
        raise SystemExit(1) from error
    click.echo(
        f"created {report.created} pending sightings; skipped {report.already_imported} already imported, "
        f"{report.outside_area} outside Serbia and Kosovo, {report.not_cameras} not man_made=surveillance"
    )
    if report.flagged:
        click.echo(
            f"flagged as possible duplicates (within {osm.DUPLICATE_DISTANCE_M} m of a camera): "
            + ", ".join(map(str, report.flagged))
        )
