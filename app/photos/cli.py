"""`flask photos ...`: maintenance of the photo files."""

import click
from flask.cli import AppGroup

from app.photos import services
from app.photos.storage import storage_at

photos_cli = AppGroup("photos", help="Photo files.")


@photos_cli.command("sweep")
@click.option("--dry-run", is_flag=True, help="Count the files without deleting them.")
def sweep(dry_run: bool) -> None:
    """Delete photo files that no database row names (left by a crash between writing and committing)."""
    orphans = services.sweep_orphans(dry_run=dry_run)
    if dry_run:
        click.echo(f"{len(orphans)} files with no row (dry run, nothing deleted)")
    else:
        click.echo(f"{len(orphans)} files with no row deleted")


@photos_cli.command("migrate")
@click.option("--to", "target_url", required=True, help="The new store: s3://bucket/prefix or a directory.")
def migrate(target_url: str) -> None:
    """Copy every photo into another store, each checked by SHA-256; then set PHOTO_STORAGE_URL to it."""
    try:
        target = storage_at(target_url)
        files, size = services.migrate_photos(target)
    except (ValueError, KeyError, services.PhotoCopyFailed) as error:
        raise click.ClickException(f"not migrated: {error}") from error
    click.echo(f"{files} files ({size / 1e6:.1f} MB) copied to {target_url} and checked by SHA-256.")
    click.echo(f"Set PHOTO_STORAGE_URL={target_url} and restart the site; the old files stay until you delete them.")
