"""`flask photos ...`: maintenance of the photo files."""

import click
from flask.cli import AppGroup

from app.photos import services

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
