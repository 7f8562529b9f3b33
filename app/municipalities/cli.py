"""`flask geodata load`: import the municipal boundary datasets."""

import click
from flask import current_app
from flask.cli import AppGroup

from app.basemap import services as basemap_services
from app.database_roles import as_owner
from app.errors import ValidationFailed
from app.municipalities import figures, services

geodata_cli = AppGroup("geodata", help="Municipal boundaries and census population.")


@geodata_cli.command("load")
@click.option("--dir", "directory", help="Directory of the GeoJSON files (default: GEODATA_DIR).")
def load(directory: str | None) -> None:
    """Insert or update the municipalities from the datasets in geodata/datasets.json."""
    directory = directory or current_app.config["GEODATA_DIR"]
    try:
        with as_owner():  # reference data: the owner's, like the schema
            report = services.load_geodata(directory, current_app.config["GEODATA_MANIFEST"])
    except services.GeodataError as error:
        raise click.ClickException(f"{error} (nothing was changed)") from error
    for dataset in report.datasets:
        click.echo(
            f"{dataset.file}: {dataset.features} municipalities "
            f"({dataset.inserted} new, {dataset.updated} updated, {dataset.unchanged} unchanged)"
        )
    click.echo(f"{report.total} municipalities loaded; {report.reassigned} camera and sighting locations reassigned.")
    built = basemap_services.build_outline()
    if built is None:
        click.echo(f"The base map in {current_app.config['BASEMAP_FILE']} is a street-level one: kept as it is.")
    else:
        click.echo(f"Base map of the municipalities drawn: {built[1]} tiles in {built[0]}.")


figures_cli = AppGroup("figures", help="Official (declared or procured) camera figures per municipality.")


@figures_cli.command("add")
@click.argument("municipality_code")
@click.option("--cameras", type=int, required=True, help="Number of cameras declared or procured.")
@click.option("--source-url", required=True, help="Web address of the source document.")
@click.option("--date", "document_date", type=click.DateTime(["%Y-%m-%d"]), required=True, help="Document date.")
@click.option("--description", required=True, help="What was declared or bought.")
@click.option("--kind", type=click.Choice(["procured", "declared"]), default="procured", show_default=True)
@click.option("--supplier", help="Supplier named in the document.")
@click.option("--amount", help="Amount paid, e.g. 800000.")
@click.option("--currency", type=click.Choice(figures.CURRENCIES), help="Currency of the amount.")
def add_figure(municipality_code, cameras, source_url, document_date, description, kind, supplier, amount, currency):
    """Record an official figure for MUNICIPALITY_CODE (see /municipalities for the codes)."""
    try:
        figure = figures.record_official_figure(
            municipality_code=municipality_code,
            kind=kind,
            cameras=cameras,
            source_url=source_url,
            document_date=document_date.date(),
            description=description,
            supplier=supplier,
            amount=amount,
            currency=currency,
        )
    except ValidationFailed as error:
        problems = "; ".join(f"{field}: {message}" for field, message in error.details.items())
        raise click.ClickException(f"{error.message} {problems}") from error
    click.echo(f"Recorded figure {figure.id}: {figure.cameras} cameras ({figure.kind.value}) for {municipality_code}.")
