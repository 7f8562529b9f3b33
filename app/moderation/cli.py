"""`flask retention run`: the daily clean-up of data that moderation no longer needs."""

import click
from flask.cli import AppGroup

from app.moderation.retention import IDEMPOTENCY_KEY_DAYS, rejected_retention_days, run_retention

retention_cli = AppGroup("retention", help="Delete data that is no longer needed.")


@retention_cli.command("run")
def run() -> None:
    """Drop idempotency keys of sightings decided over 7 days ago; delete sightings rejected over
    REJECTED_RETENTION_DAYS (30) days ago with their photos.

    A decided sighting keeps its idempotency key for 7 days so that a phone retrying a report whose answer was
    lost gets the same receipt rather than creating the report again. A rejected sighting is deleted entirely
    (position, note, fields, photos); the log keeps an event without content. Run daily (cron or a systemd timer).
    """
    result = run_retention()
    click.echo(
        f"Dropped {result.keys_dropped} idempotency keys of sightings decided more than {IDEMPOTENCY_KEY_DAYS} "
        f"days ago; deleted {result.sightings_purged} sightings rejected more than {rejected_retention_days()} "
        f"days ago, with {result.photos_purged} photos."
    )
