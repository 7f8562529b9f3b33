"""`flask declared import FILE --source ... --date ... --licence ...`: import a declared list of camera locations.

It connects as the site's role, as the admin page does: a list is rows an admin adds, not schema or boundaries, and
the site's role may insert them (default privileges on new tables); one code path for both, and the log records it.
"""

from pathlib import Path

import click
from flask.cli import AppGroup

from app.declared import matching, services
from app.errors import ValidationFailed

declared_cli = AppGroup("declared", help="Declared lists of camera locations (police lists, procurement annexes).")


def _reasons(error: ValidationFailed) -> str:
    rows = error.details.get("rows", [])
    fields = {key: value for key, value in error.details.items() if key != "rows"}
    lines = [f"  line {row['line']}: {row['reason']}" if row["line"] else f"  file: {row['reason']}" for row in rows]
    lines += [f"  {name}: {message}" for name, message in fields.items()]
    return "\n".join(lines)


@declared_cli.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--source", required=True, help="Who published the list; the same source makes a new version of it.")
@click.option("--date", "document_date", type=click.DateTime(["%Y-%m-%d"]), required=True, help="Date of the list.")
@click.option("--licence", required=True, help="Licence or terms of use of the list.")
@click.option("--source-url", help="Web address of the list or the document it comes from.")
@click.option("--keep-good-rows", is_flag=True, help="Store the good rows even if some are bad (the bad are listed).")
def import_command(file: Path, source, document_date, licence, source_url, keep_good_rows) -> None:
    """Import FILE (CSV with latitude and longitude columns, or GeoJSON points) as a declared list."""
    try:
        report = services.import_list(
            file.read_bytes(),
            source=source,
            document_date=document_date.date(),
            licence=licence,
            file_name=file.name,
            source_url=source_url,
            keep_good_rows=keep_good_rows,
        )
    except ValidationFailed as error:
        raise click.ClickException(f"{error.message}\n{_reasons(error)}") from error
    listed = report.declared_list
    if report.unchanged:
        click.echo(f"Unchanged: version {listed.id} of '{listed.source}' already holds these rows.")
        return
    for problem in report.skipped:
        click.echo(f"  skipped line {problem.line}: {problem.reason}")
    state = "current" if report.became_current else "kept as history (a newer version is current)"
    replaced = f"; replaces version {report.replaced.id}" if report.replaced is not None else ""
    click.echo(
        f"Imported version {listed.id} of '{listed.source}': {report.stored} locations, {report.cameras} cameras, "
        f"{len(report.skipped)} rows skipped; {state}{replaced}. Matching tolerance: {matching.tolerance_metres():g} m."
    )
