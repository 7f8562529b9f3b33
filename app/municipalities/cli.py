"""`flask geodata load`: import the municipal boundary datasets."""

import click
from flask import current_app
from flask.cli import AppGroup

from app.municipalities import services

geodata_cli = AppGroup("geodata", help="Municipal boundaries and census population.")


@geodata_cli.command("load")
@click.option("--dir", "directory", help="Directory of the GeoJSON files (default: GEODATA_DIR).")
def load(directory: str | None) -> None:
    """Insert or update the municipalities from the datasets in geodata/datasets.json."""
    directory = directory or current_app.config["GEODATA_DIR"]
    try:
        report = services.load_geodata(directory, current_app.config["GEODATA_MANIFEST"])
    except services.GeodataError as error:
        raise click.ClickException(f"{error} (nothing was changed)") from error
    for dataset in report.datasets:
        click.echo(
            f"{dataset.file}: {dataset.features} municipalities "
            f"({dataset.inserted} new, {dataset.updated} updated, {dataset.unchanged} unchanged)"
        )
    click.echo(f"{report.total} municipalities loaded; {report.reassigned} camera and sighting locations reassigned.")
