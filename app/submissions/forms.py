"""The report form: one definition validates the web form (with CSRF) and the API's multipart fields (without)."""

import math

from flask import current_app, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from werkzeug.datastructures import FileStorage
from wtforms import (
    HiddenField,
    MultipleFileField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import ValidationError

from app.errors import PhotoTooLarge, Refused, ValidationFailed
from app.input_guards import database_id, has_control_characters
from app.models.columns import MODEL_MAX, NOTE_MAX
from app.photos.upload import file_overflowed
from app.submissions.services import SightingInput
from app.vocabulary import FIELD_VOCABULARIES, Capability, CorrectionSubject, Evidence, Vocabulary

DONT_KNOW = ("", _l("Don't know"))
# What the "gone" field may say: a checkbox sends "1" (or "on" without a value); the API may send true/false.
GONE_VALUES = {"": False, "0": False, "false": False, "1": True, "true": True, "on": True}


def _choices(pairs) -> list[SelectChoice]:
    return [SelectChoice(value, label) for value, label in pairs]


def _allowed(field) -> set[str]:
    return {choice.value for choice in field.choices}


class VocabularyField(SelectField):
    """One value of a vocabulary, or empty for "don't know"; anything else is refused in our words."""

    def __init__(self, label, vocabulary: type[Vocabulary], **kwargs) -> None:
        super().__init__(label, choices=_choices([DONT_KNOW, *vocabulary.choices()]), default="", **kwargs)

    def pre_validate(self, form) -> None:
        if self.data not in _allowed(self):
            raise ValidationError(_l("Not one of the offered answers."))


class VocabularyRadioField(RadioField):
    def __init__(self, label, vocabulary: type[Vocabulary], **kwargs) -> None:
        super().__init__(label, choices=_choices([DONT_KNOW, *vocabulary.choices()]), default="", **kwargs)

    def pre_validate(self, form) -> None:
        if (self.data or "") not in _allowed(self):
            raise ValidationError(_l("Not one of the offered answers."))

    def process_formdata(self, valuelist) -> None:
        self.data = valuelist[0] if valuelist else ""


class CapabilitiesField(SelectMultipleField):
    def pre_validate(self, form) -> None:
        allowed = _allowed(self)
        if any(value not in allowed for value in self.data or []):
            raise ValidationError(_l("Not one of the offered answers."))


def _number(field, low: float, high: float, message) -> float | None:
    raw = (field.data or "").strip().replace(",", ".")
    if not raw:
        return None
    try:
        value = float(raw)
    except ValueError:
        raise ValidationError(message) from None
    if not math.isfinite(value) or not low <= value <= high:
        raise ValidationError(message)
    return value


def _plain_text(field, limit: int) -> None:
    text = field.data or ""
    if len(text) > limit:
        raise ValidationError(_l("Please keep this under %(limit)s characters.", limit=limit))
    if has_control_characters(text, free_text=True):
        raise ValidationError(_l("This contains characters we cannot store."))


class ReportForm(FlaskForm):
    lat = StringField(_l("Latitude"))
    lon = StringField(_l("Longitude"))
    direction = StringField(_l("Facing direction (degrees from north)"))
    camera_type = VocabularyRadioField(_l("Camera type"), FIELD_VOCABULARIES["camera_type"])
    mount = VocabularyField(_l("Mounted on"), FIELD_VOCABULARIES["mount"])
    capabilities = CapabilitiesField(_l("What it can do"), choices=_choices(Capability.choices()))
    capability_evidence = VocabularyField(_l("How do you know?"), Evidence)
    manufacturer = VocabularyField(_l("Manufacturer"), FIELD_VOCABULARIES["manufacturer"])
    model = StringField(_l("Model"), render_kw={"maxlength": MODEL_MAX})
    operator = VocabularyField(_l("Operator"), FIELD_VOCABULARIES["operator"])
    zone = VocabularyField(_l("What it watches"), FIELD_VOCABULARIES["zone"])
    note = TextAreaField(_l("Anything else"), render_kw={"maxlength": NOTE_MAX})
    confirms_camera = StringField(_l("Camera already on the map"))
    gone = StringField(_l("This camera is no longer there"))
    correction_subject = VocabularyField(_l("What is wrong?"), CorrectionSubject)
    photos = MultipleFileField(_l("Photos"))
    idempotency_key = HiddenField()
    # Honeypot: hidden from people by CSS and aria-hidden; bots fill it in.
    website = StringField(_l("Leave this empty"))

    def evidence_fields(self) -> dict[str, VocabularyField]:
        """The evidence select of each capability (`evidence_<capability>`), by capability value."""
        return {capability.value: self[evidence_field(capability)] for capability in Capability}

    def validate_lat(self, field) -> None:
        if not (field.data or "").strip():
            raise ValidationError(_l("Place the pin on the map or enter the latitude."))
        field.number = _number(field, -90, 90, _l("Latitude must be a number between -90 and 90."))

    def validate_lon(self, field) -> None:
        if not (field.data or "").strip():
            raise ValidationError(_l("Place the pin on the map or enter the longitude."))
        field.number = _number(field, -180, 180, _l("Longitude must be a number between -180 and 180."))

    def validate_direction(self, field) -> None:
        value = _number(field, 0, 359, _l("The direction must be a whole number of degrees from 0 to 359."))
        if value is not None and value != int(value):
            raise ValidationError(_l("The direction must be a whole number of degrees from 0 to 359."))
        field.number = None if value is None else int(value)

    def validate_confirms_camera(self, field) -> None:
        raw = (field.data or "").strip()
        field.number = database_id(raw) if raw else None
        if raw and field.number is None:
            raise ValidationError(_l("This is not a camera on our map."))

    def validate_gone(self, field) -> None:
        raw = (field.data or "").strip().lower()
        if raw not in GONE_VALUES:
            raise ValidationError(_l("Not one of the offered answers."))
        field.flag = GONE_VALUES[raw]

    def validate_model(self, field) -> None:
        _plain_text(field, MODEL_MAX)

    def validate_note(self, field) -> None:
        _plain_text(field, NOTE_MAX)


def evidence_field(capability: Capability) -> str:
    """The name of the form field that says how the reporter knows this capability."""
    return f"evidence_{capability.value}"


CAPABILITY_LABELS = dict(Capability.choices())
for _capability in Capability:  # one evidence select per capability, so each claim carries its own evidence
    setattr(
        ReportForm,
        evidence_field(_capability),
        # The capability's lazy label: formatted when the page is drawn, in the reader's language.
        VocabularyField(_l("Evidence for “%(capability)s”", capability=CAPABILITY_LABELS[_capability.value]), Evidence),
    )


def validated_input(form: ReportForm) -> SightingInput:
    """The form's data as a SightingInput, or ValidationFailed with every field's messages in the reader's language."""
    if form.website.data:
        raise Refused(_("This report could not be accepted."))
    valid = form.validate()
    fields = {name: [str(message) for message in messages] for name, messages in form.errors.items()}
    for name in sorted(request.overlong_fields):
        fields.setdefault(name, []).insert(0, _("This is far too long."))
    if not valid or fields:
        if "csrf_token" in fields:
            fields["csrf_token"] = [_("This form has expired. Please send it again.")]
        raise ValidationFailed(_("Please correct the marked fields."), {"fields": fields})

    def text(value: str | None) -> str | None:
        return (value or "").strip() or None

    return SightingInput(
        lat=form.lat.number,
        lon=form.lon.number,
        direction=form.direction.number,
        camera_type=text(form.camera_type.data),
        mount=text(form.mount.data),
        capabilities=tuple(sorted(set(form.capabilities.data or []))),
        capability_evidence=text(form.capability_evidence.data),
        evidence=tuple(
            (value, field.data)
            for value, field in form.evidence_fields().items()
            if field.data and value in (form.capabilities.data or [])
        ),
        manufacturer=text(form.manufacturer.data),
        model=text(form.model.data),
        operator=text(form.operator.data),
        zone=text(form.zone.data),
        note=text(form.note.data),
        confirms_camera=form.confirms_camera.number,
        gone=form.gone.flag,
        correction_subject=text(form.correction_subject.data),
    )


def read_photos(files: list[FileStorage], stray_values: list[str] = ()) -> list[bytes]:
    """The uploaded photos' bytes, in memory only; refuses too many or too large ones.

    `stray_values` are `photos` parts that arrived as plain form fields (no file name): refused rather than
    silently dropped, so a client never gets a receipt for a report that lost its photos. An over-size photo
    arrives already emptied by the parser (app/photos/upload.py), so its refusal costs no memory.
    """
    if any(value for value in stray_values):
        message = _("Photos must be sent as files.")
        raise ValidationFailed(message, {"fields": {"photos": [message]}})
    uploads = [item for item in files if item and (item.filename or file_overflowed(item) or _has_bytes(item))]
    limit = current_app.config["PHOTO_MAX_COUNT"]
    if len(uploads) > limit:
        message = _("At most %(limit)s photos per report.", limit=limit)
        raise ValidationFailed(message, {"fields": {"photos": [message]}})
    max_mb = current_app.config["PHOTO_MAX_BYTES"] // (1024 * 1024)
    photos = []
    for position, upload in enumerate(uploads, start=1):
        if file_overflowed(upload):
            message = _("Photo %(number)s is larger than %(limit)s MB.", number=position, limit=max_mb)
            raise PhotoTooLarge(message, {"fields": {"photos": [message]}, "photo": position})
        data = _take_bytes(upload)
        if not data:
            message = _("Photo %(number)s is empty.", number=position)
            raise ValidationFailed(message, {"fields": {"photos": [message]}, "photo": position})
        photos.append(data)
    return photos


def _has_bytes(upload: FileStorage) -> bool:
    stream = upload.stream
    return bool(stream.getbuffer().nbytes) if hasattr(stream, "getbuffer") else bool(upload.content_length)


def _take_bytes(upload: FileStorage) -> bytes:
    """The upload's bytes; its in-memory buffer is released at once so a photo is held only once."""
    stream = upload.stream
    if hasattr(stream, "getvalue"):
        data = stream.getvalue()
        stream.close()
        return data
    return stream.read(current_app.config["PHOTO_MAX_BYTES"] + 1)


class WithdrawForm(FlaskForm):
    """The receipt page's "withdraw this report": the secret shown only on the receipt."""

    secret = StringField(_l("Withdrawal secret"), render_kw={"maxlength": 64, "autocomplete": "off"})
