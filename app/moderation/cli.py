"""`flask retention run`: the daily clean-up of data that moderation no longer needs."""

import click
from flask.cli import AppGroup

from app.moderation.retention import REJECTED_PHOTO_DAYS, run_retention

retention_cli = AppGroup("retention", help="Delete data that is no longer needed.")


@retention_cli.command("run")
def run() -> None:
    """Drop decided sightings' idempotency keys; purge photos of sightings rejected over 30 days ago."""
    result = run_retention()
    click.echo(
        f"Dropped {result.keys_dropped} idempotency keys; purged {result.photos_purged} photos of "
        f"{result.sightings_purged} sightings rejected more than {REJECTED_PHOTO_DAYS} days ago."
    )
