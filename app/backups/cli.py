"""`flask backup create DIR` and `flask backup restore DIR` (README, "Backups")."""

import os
from pathlib import Path

import click
from flask.cli import AppGroup

from app.backups import services
from app.backups.sealing import WrongPassphrase

backup_cli = AppGroup("backup", help="Backups of the database, the photos and the keys.")


def _passphrase(confirm: bool) -> str:
    """BACKUP_PASSPHRASE from the environment (for a nightly timer), else asked for without echo."""
    value = os.environ.get("BACKUP_PASSPHRASE") or click.prompt(
        "Passphrase for the keys", hide_input=True, confirmation_prompt=confirm
    )
    if len(value) < 12:
        raise click.ClickException("the passphrase must have at least 12 characters")
    return value


@backup_cli.command("create")
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
def create(directory: Path) -> None:
    """Write a backup into DIRECTORY (new or empty); copy it off the machine afterwards."""
    try:
        report = services.create_backup(directory, _passphrase(confirm=True))
    except services.BackupError as error:
        raise click.ClickException(str(error)) from error
    counts = ", ".join(f"{count} {name}" for name, count in report.counts.items())
    click.echo(f"{directory}: {counts}; {report.photos} photo files; keys: {', '.join(report.keys)}")
    if report.missing_photos:
        click.echo(f"{len(report.missing_photos)} photo files were deleted while the backup ran (not in it)")


@backup_cli.command("restore")
@click.argument("directory", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--replace-keys", is_flag=True, help="Replace key files this installation already has.")
def restore(directory: Path, replace_keys: bool) -> None:
    """Restore the backup in DIRECTORY into this installation's empty database, photo store and key files."""
    try:
        report = services.restore_backup(directory, _passphrase(confirm=False), replace_keys)
    except (services.BackupError, WrongPassphrase) as error:
        raise click.ClickException(f"{error} (nothing of the installation was changed before this point)") from error
    counts = ", ".join(f"{count} {name}" for name, count in report.counts.items())
    click.echo(f"restored: {counts}; {report.photos} photo files checked by SHA-256; keys: {', '.join(report.keys)}")
    click.echo("the moderation log's chain verifies")
