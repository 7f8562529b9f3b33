"""The report page (works with and without JavaScript), the receipt, and the offline pieces (manifest, worker)."""

import uuid

from flask import Blueprint, abort, current_app, jsonify, redirect, render_template, request, session, url_for
from flask_babel import gettext as _

from app.errors import DomainError, IdempotencyKeyReused, Refused
from app.maps.config import map_config
from app.submissions import services, withdrawal
from app.submissions.forms import ReportForm, WithdrawForm, read_photos, validated_input
from app.submissions.limits import submission_rate_limit
from app.vocabulary import CorrectionSubject

bp = Blueprint("submissions", __name__)


def _render(form: ReportForm, status: int = 200, error: DomainError | None = None, **context):
    if not form.idempotency_key.data:
        form.idempotency_key.data = str(uuid.uuid4())
    fields = (error.details.get("fields") if error else None) or {}
    return (
        render_template(
            "submissions/report.html",
            form=form,
            error=error,
            field_errors=fields,
            map_config=map_config(),
            **context,
        ),
        status,
    )


@bp.get("/report")
def report():
    """The empty form; from a camera page's links, already pointing at that camera (`?confirms=ID[&gone=1]`, or
    `?corrects=ID` for "something is wrong here")."""
    form = ReportForm()
    correcting = services.camera_to_confirm(request.args.get("corrects"))
    camera = correcting or services.camera_to_confirm(request.args.get("confirms"))
    gone = camera is not None and correcting is None and request.args.get("gone") == "1"
    if camera is not None:
        form.confirms_camera.data = str(camera.id)
        form.lat.data, form.lon.data = f"{camera.lat:.6f}", f"{camera.lon:.6f}"
        form.gone.data = "1" if gone else ""
        if correcting is not None:  # a correction until the reporter says what is wrong
            form.correction_subject.data = CorrectionSubject.OTHER.value
    return _render(form, confirming=camera, gone=gone, correcting=correcting)


@bp.post("/report")
@submission_rate_limit
def send_report():
    """The form without JavaScript: the server does all the browser would have done."""
    form = ReportForm()
    try:
        key = services.parse_idempotency_key(form.idempotency_key.data)
        data = validated_input(form)
        photos = read_photos(request.files.getlist("photos"), request.form.getlist("photos"))
        receipt = services.submit_sighting(data, photos, key)
    except DomainError as error:
        if isinstance(error, IdempotencyKeyReused):
            form.idempotency_key.data = ""  # a new report from an old page: the next try gets a fresh key
        return _render(form, error.status, error)
    # The secret reaches the receipt in the reporter's own (signed) session cookie, never in a URL or the database;
    # the receipt shows it once. The script's report carries it in the URL's fragment, which is never sent.
    session[RECEIPT_SECRET] = [receipt.reference, receipt.withdrawal_secret]
    return redirect(url_for("submissions.receipt", reference=receipt.reference), code=303)


RECEIPT_SECRET = "receipt_withdrawal_secret"  # noqa: S105 (the session key that carries it, not a secret)


def _receipt_page(found: services.Receipt, form: WithdrawForm | None = None, error: DomainError | None = None):
    shown = session.pop(RECEIPT_SECRET, None)
    secret = shown[1] if isinstance(shown, list) and len(shown) == 2 and shown[0] == found.reference else None
    form = form or WithdrawForm(formdata=None, secret=secret)
    page = render_template("submissions/receipt.html", receipt=found, secret=secret, withdraw_form=form, error=error)
    return page, error.status if error else 200


@bp.get("/report/thanks/<reference>")
def receipt(reference: str):
    found = services.find_receipt(reference[:16])
    if found is None:
        abort(404)
    return _receipt_page(found)


@bp.post("/report/thanks/<reference>/withdraw")
def withdraw(reference: str):
    """Delete a pending report with the secret its receipt showed; a wrong secret changes nothing."""
    found = services.find_receipt(reference[:16])
    if found is None:
        abort(404)
    form = WithdrawForm()
    try:
        if not form.validate_on_submit():
            raise Refused(_("This form has expired. Please send it again."))
        withdrawal.withdraw(found.reference, form.secret.data)
    except DomainError as error:
        return _receipt_page(services.find_receipt(found.reference) or found, form, error)
    return render_template("submissions/withdrawn.html", reference=found.reference)


@bp.get("/manifest.webmanifest")
def manifest():
    """Makes the report page installable on a phone's home screen."""
    response = jsonify(
        {
            "name": _("Thousands of Cameras: report a camera"),
            "short_name": _("Report a camera"),
            "start_url": url_for("submissions.report", lang=None),  # the phone's language decides
            "scope": "/",
            "display": "standalone",
            "background_color": "#ffffff",
            "theme_color": "#111111",
            "icons": [
                {"src": url_for("static", filename="img/icon-192.png"), "sizes": "192x192", "type": "image/png"},
                {"src": url_for("static", filename="img/icon-512.png"), "sizes": "512x512", "type": "image/png"},
            ],
        }
    )
    response.mimetype = "application/manifest+json"
    return response


@bp.get("/sw.js")
def service_worker():
    """The service worker, from the site root so it may control /report."""
    response = current_app.send_static_file("js/sw.js")
    response.headers["Cache-Control"] = "no-cache"
    response.mimetype = "text/javascript"
    return response
