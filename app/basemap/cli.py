"""`flask basemap import|outline|info`: the base map file the maps draw."""

from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

from app.basemap import mbtiles, services

basemap_cli = AppGroup("basemap", help="The base map under every map (an MBTiles file on our own origin).")


@basemap_cli.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--attribution", help="Attribution HTML the licence requires, if the file names none (or another).")
def import_command(file: Path, attribution: str | None) -> None:
    """Serve FILE (MBTiles: vector pbf, or png/jpg/webp) as the base map; it is copied to BASEMAP_FILE."""
    try:
        tileset = services.import_file(file, attribution)
    except mbtiles.InvalidTileset as error:
        raise click.ClickException(f"{file} cannot be the base map: {error} (nothing was changed)") from error
    click.echo(_describe(tileset))


@basemap_cli.command("outline")
@click.option("--replace", is_flag=True, help="Also replace a street-level base map that was imported.")
def outline_command(replace: bool) -> None:
    """Draw the municipalities' boundaries and names into BASEMAP_FILE (`flask geodata load` does it too)."""
    try:
        built = services.build_outline(replace_imported=replace)
    except mbtiles.InvalidTileset as error:
        raise click.ClickException(str(error)) from error
    if built is None:
        raise click.ClickException(
            f"{current_app.config['BASEMAP_FILE']} holds another base map; --replace replaces it (nothing was changed)"
        )
    path, count = built
    click.echo(f"{path}: the municipalities' base map, {count} tiles, {path.stat().st_size / 1e6:.1f} MB")


@basemap_cli.command("info")
def info_command() -> None:
    """What the maps draw now."""
    if current_app.config["TILE_URL"]:
        url = current_app.config["TILE_URL"]
        click.echo(f"third-party tile server (TILE_URL): {url}; every visitor's browser asks it for tiles")
        return
    try:
        tileset = services.reader().tileset()
    except mbtiles.InvalidTileset as error:
        raise click.ClickException(f"{current_app.config['BASEMAP_FILE']} cannot be served: {error}") from error
    if tileset is None:
        click.echo(f"no base map: {current_app.config['BASEMAP_FILE']} is missing (flask basemap outline)")
    else:
        click.echo(_describe(tileset))


def _describe(tileset: mbtiles.Tileset) -> str:
    layers = ", ".join(tileset.vector_layers)
    return (
        f"{tileset.path}: {tileset.metadata.get('name', '?')} ({tileset.format}"
        + (f": {layers}" if layers else "")
        + f"), zoom {tileset.minzoom}-{tileset.maxzoom}, version {tileset.version}, "
        f"{tileset.path.stat().st_size / 1e6:.1f} MB"
    )
