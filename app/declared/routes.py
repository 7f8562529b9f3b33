"""The admin page of declared lists: the versions held, and an upload form that imports one as the CLI does."""

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from app.auth.sessions import admin_required
from app.declared import bp, matching, services
from app.declared.forms import DeclaredImportForm
from app.errors import ValidationFailed


def _page(form: DeclaredImportForm, problems: list[dict] | None = None, status: int = 200):
    page = render_template(
        "declared/admin.html",
        form=form,
        versions=services.list_versions(),
        problems=problems or [],
        tolerance=matching.tolerance_metres(),
    )
    return page, status


@bp.get("/admin/declared")
@admin_required
def admin():
    return _page(DeclaredImportForm())


@bp.post("/admin/declared")
@admin_required
def import_list():
    form = DeclaredImportForm()
    if not form.validate_on_submit():
        return _page(form, status=422)
    upload = form.file.data
    try:
        report = services.import_list(
            upload.read(),
            source=form.source.data,
            document_date=form.document_date.data,
            licence=form.licence.data,
            file_name=upload.filename or "",
            source_url=form.source_url.data,
            keep_good_rows=form.keep_good_rows.data,
            imported_by=current_user,
        )
    except ValidationFailed as error:
        for name, message in error.details.items():
            if name != "rows" and hasattr(form, name):
                getattr(form, name).errors = [message]
        flash(error.message, "error")
        return _page(form, error.details.get("rows", []), status=422)
    if report.unchanged:
        flash(_("Nothing changed: this list already holds exactly these rows."), "info")
    else:
        flash(ngettext("%(num)d location imported.", "%(num)d locations imported.", report.stored), "info")
        if report.skipped:
            flash(
                ngettext("%(num)d bad row was left out.", "%(num)d bad rows were left out.", len(report.skipped)),
                "info",
            )
    problems = [{"line": problem.line, "reason": problem.reason} for problem in report.skipped]
    if problems:
        return _page(DeclaredImportForm(formdata=None), problems)
    return redirect(url_for("declared.admin"))
