"""Official figures: how many cameras a municipality or the state declared or bought, and where it says so."""

from datetime import date
from decimal import Decimal, InvalidOperation
from urllib.parse import urlsplit

from flask_babel import gettext as _
from sqlalchemy import select

from app.errors import ValidationFailed
from app.extensions import db
from app.i18n import format_number
from app.input_guards import has_control_characters
from app.models import FigureKind, Municipality, OfficialFigure, User
from app.models.columns import FIGURE_DESCRIPTION_MAX
from app.moderation import events
from app.moderation.content import sha256

CURRENCIES = ("EUR", "RSD", "USD")


def record_official_figure(
    *,
    municipality_code: str,
    kind: str,
    cameras: int,
    source_url: str,
    document_date: date,
    description: str,
    supplier: str | None = None,
    amount: str | Decimal | None = None,
    currency: str | None = None,
    recorded_by_id: int | None = None,
) -> OfficialFigure:
    """Validate and store one official figure; raises ValidationFailed (nothing stored) on bad input."""
    errors: dict[str, str] = {}
    municipality = db.session.scalar(select(Municipality).where(Municipality.code == (municipality_code or "")))
    if municipality is None:
        errors["municipality"] = _("Unknown municipality.")
    try:
        figure_kind = FigureKind(kind)
    except ValueError:
        errors["kind"] = _("Choose declared or procured.")
    if not isinstance(cameras, int) or not 0 < cameras <= 1_000_000:
        errors["cameras"] = _("The number of cameras must be a whole number above zero.")
    url = (source_url or "").strip()
    parts = urlsplit(url)
    if parts.scheme not in {"http", "https"} or not parts.netloc or len(url) > 500:
        errors["source_url"] = _("Give the web address of the source document (http or https).")
    if not isinstance(document_date, date) or document_date > date.today() or document_date.year < 1990:
        errors["document_date"] = _("The document date must be a real past date.")
    description = (description or "").strip()
    if not 0 < len(description) <= FIGURE_DESCRIPTION_MAX:
        errors["description"] = _(
            "Say what was declared or bought (up to %(n)s characters).", n=format_number(FIGURE_DESCRIPTION_MAX)
        )
    value = None
    if amount not in (None, ""):
        try:
            value = Decimal(str(amount)).quantize(Decimal("0.01"))
            if value < 0 or value >= Decimal("1e12"):
                raise InvalidOperation
        except InvalidOperation:
            errors["amount"] = _("The amount must be a number such as 800000 or 39000.50.")
        if currency not in CURRENCIES:
            errors["currency"] = _("Choose the currency of the amount.")
    texts = {"source_url": url, "description": description, "supplier": supplier or ""}
    for field, text in texts.items():
        if has_control_characters(text, free_text=field == "description"):
            errors[field] = _("This contains characters we cannot store.")
    if errors:
        raise ValidationFailed(_("The figure was not recorded. Please correct the marked fields."), errors)
    figure = OfficialFigure(
        municipality_id=municipality.id,
        kind=figure_kind,
        cameras=cameras,
        source_url=url,
        document_date=document_date,
        supplier=(supplier or "").strip()[:200] or None,
        amount=value,
        currency=currency if value is not None else None,
        description=description,
        recorded_by_id=recorded_by_id,
    )
    db.session.add(figure)
    db.session.flush()
    # Moderators' writes are all accountable in the append-only log, figures included.
    actor = db.session.get(User, recorded_by_id) if recorded_by_id is not None else None
    content = {"municipality": municipality.code, "kind": figure_kind.value, "cameras": cameras, "source_url": url}
    events.record(actor, events.Action.FIGURE_ADD, "official_figure", figure.id, after=sha256(content), details=content)
    db.session.commit()
    return figure
