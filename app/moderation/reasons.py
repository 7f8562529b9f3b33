"""A moderator's reason or note, as every decision takes it: text, printable, within REASON_MAX."""

from flask_babel import gettext as _

from app.errors import ValidationFailed
from app.input_guards import has_control_characters
from app.models.columns import REASON_MAX


def clean_reason(reason: str | None, required: bool = False) -> str | None:
    """The reason stripped (None when empty), or ValidationFailed in the reader's language."""
    if reason is not None and not isinstance(reason, str):
        raise ValidationFailed(_("The reason must be text."))
    reason = (reason or "").strip() or None
    if reason is not None and has_control_characters(reason, free_text=True):
        raise ValidationFailed(_("This contains characters we cannot store."))
    if required and reason is None:
        raise ValidationFailed(_("Give a reason."))
    if reason is not None and len(reason) > REASON_MAX:
        raise ValidationFailed(_("The reason is too long (at most %(n)d characters).", n=REASON_MAX))
    return reason
