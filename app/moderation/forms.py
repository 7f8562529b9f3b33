"""Forms of the moderation pages. Each decision carries the sighting's version to detect concurrent changes."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DecimalField, HiddenField, IntegerField, SelectField, StringField, SubmitField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from app.input_guards import INT4_MAX
from app.models.columns import MODEL_MAX, OPERATOR_NAME_MAX, REASON_MAX
from app.vocabulary import (
    DESCRIPTION_FIELDS,
    FIELD_VOCABULARIES,
    CameraStatus,
    Capability,
    Evidence,
    RejectReason,
    SurveillanceType,
)

REASON = {"validators": [Optional(), Length(max=REASON_MAX)]}


def choices(pairs) -> list[SelectChoice]:
    """WTForms 3.3 wants SelectChoice objects rather than (value, label) tuples."""
    return [SelectChoice(value, label) for value, label in pairs]


class DecisionForm(FlaskForm):
    version = HiddenField(validators=[InputRequired()])
    reason = StringField(_l("Reason (optional)"), **REASON)
    submit = SubmitField(_l("Approve as a new camera"))


class MergeForm(FlaskForm):
    version = HiddenField(validators=[InputRequired()])
    camera_id = IntegerField(_l("Camera number"), validators=[InputRequired(), NumberRange(min=1, max=INT4_MAX)])
    reason = StringField(_l("Reason (optional)"), **REASON)
    submit = SubmitField(_l("Merge into this camera"))


class RejectForm(FlaskForm):
    version = HiddenField(validators=[InputRequired()])
    category = SelectField(
        _l("Why"), choices=choices([("", "—"), *RejectReason.choices()]), validators=[DataRequired()]
    )
    note = StringField(_l("Note (required for “Other”)"), **REASON)
    submit = SubmitField(_l("Reject"))


class BulkRejectForm(FlaskForm):
    category = SelectField(_l("Why"), choices=choices(RejectReason.choices()), default=RejectReason.SPAM.value)
    # Empty on the queue: the first post shows what would be rejected; the confirmation page posts it again with this.
    confirmed = HiddenField()
    submit = SubmitField(_l("Reject the selected sightings"))


class EditForm(FlaskForm):
    version = HiddenField(validators=[InputRequired()])
    lat = DecimalField(_l("Latitude"), places=7, validators=[InputRequired(), NumberRange(min=-90, max=90)])
    lon = DecimalField(_l("Longitude"), places=7, validators=[InputRequired(), NumberRange(min=-180, max=180)])
    # One select per vocabulary field (app.vocabulary.FIELD_VOCABULARIES), added below the class.
    direction = IntegerField(_l("Direction (degrees)"), validators=[Optional(), NumberRange(min=0, max=359)])
    operator_name = StringField(_l("Operator name"), validators=[Optional(), Length(max=OPERATOR_NAME_MAX)])
    model = StringField(_l("Model"), validators=[Optional(), Length(max=MODEL_MAX)])
    reason = StringField(_l("Reason (optional)"), **REASON)
    save = SubmitField(_l("Save changes"))
    save_and_approve = SubmitField(_l("Save and approve"))

    def changes(self) -> dict:
        """Field values as the model stores them (enums, None for unknown)."""
        result = {}
        for name in DESCRIPTION_FIELDS:
            value = getattr(self, name).data
            if name in FIELD_VOCABULARIES:
                result[name] = FIELD_VOCABULARIES[name](value) if value else None
            else:
                result[name] = value if value not in ("", None) else None
        if result.get("surveillance_type") is None:
            result["surveillance_type"] = SurveillanceType.CAMERA
        result["lat"], result["lon"] = float(self.lat.data), float(self.lon.data)
        return result


FIELD_LABELS = {
    "surveillance_type": _l("Kind of device"),
    "camera_type": _l("Camera type"),
    "mount": _l("Mount"),
    "setting": _l("Setting"),
    "zone": _l("Zone"),
    "operator": _l("Operator"),
    "manufacturer": _l("Manufacturer"),
}


def _add_vocabulary_selects(form: type[FlaskForm]) -> None:
    for name, vocabulary in FIELD_VOCABULARIES.items():
        # Every device has a kind; any other field may be unknown.
        options = vocabulary.choices() if name == "surveillance_type" else [("", _l("unknown")), *vocabulary.choices()]
        setattr(form, name, SelectField(FIELD_LABELS[name], choices=choices(options)))


_add_vocabulary_selects(EditForm)


def edit_form_for(obj, lon: float, lat: float) -> EditForm:
    """The edit form filled with a sighting's or a camera's fields and place."""
    form = EditForm(formdata=None, version=obj.version, lat=lat, lon=lon)
    for name in DESCRIPTION_FIELDS:
        value = getattr(obj, name)
        getattr(form, name).data = getattr(value, "value", value) if value is not None else ""
    return form


def take_choices() -> list[tuple[str, str]]:
    """What a merge or a correction may take from the sighting into the camera, with labels."""
    labels = {
        **FIELD_LABELS,
        "direction": _l("Direction (degrees)"),
        "operator_name": _l("Operator name"),
        "model": _l("Model"),
        "position": _l("Position"),
        "capabilities": _l("Capabilities and evidence"),
    }
    return [(name, labels[name]) for name in ("position", *DESCRIPTION_FIELDS, "capabilities")]


def capability_choices() -> list[tuple[str, str]]:
    return [("", _l("not claimed")), *Evidence.choices()]


def capabilities_from(form_data) -> dict[Capability, Evidence] | None:
    """Capability claims from `cap_<capability>` selects; None when the form had none."""
    if not any(key.startswith("cap_") for key in form_data):
        return None
    claims = {}
    for capability in Capability:
        value = form_data.get(f"cap_{capability.value}", "")
        if value:
            claims[capability] = Evidence(value)
    return claims


class CameraStatusForm(FlaskForm):
    version = HiddenField(validators=[InputRequired()])
    status = SelectField(_l("Status"), choices=choices(CameraStatus.choices()))
    reason = StringField(_l("Reason"), validators=[DataRequired(), Length(max=REASON_MAX)])
    submit = SubmitField(_l("Change status"))


class BlurForm(FlaskForm):
    sha256 = HiddenField(validators=[DataRequired()])  # the photo the moderator saw: a change meanwhile is a conflict
    regions = HiddenField(validators=[DataRequired()])
    submit = SubmitField(_l("Blur the marked areas"))


class RotateForm(FlaskForm):
    sha256 = HiddenField(validators=[DataRequired()])
    degrees = SelectField(_l("Rotate"), choices=choices([("90", "↻ 90°"), ("180", "180°"), ("270", "↺ 90°")]))
    submit = SubmitField(_l("Rotate"))


class DeletionRequestForm(FlaskForm):
    reason = StringField(_l("Why must it be deleted?"), validators=[DataRequired(), Length(max=REASON_MAX)])
    submit = SubmitField(_l("Request deletion"))


class ActionForm(FlaskForm):
    """A button that changes state: carries only the CSRF token."""
