"""The form moderators use to record an official figure."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, DecimalField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import URL, DataRequired, Length, NumberRange, Optional

from app.models import FigureKind
from app.models.columns import FIGURE_DESCRIPTION_MAX
from app.municipalities.figures import CURRENCIES


class OfficialFigureForm(FlaskForm):
    kind = SelectField(
        _l("Kind"),
        choices=[SelectChoice(FigureKind.PROCURED.value, _l("Procured (tender, contract)")),
                 SelectChoice(FigureKind.DECLARED.value, _l("Declared (official statement)"))],
    )  # fmt: skip
    cameras = IntegerField(_l("Number of cameras"), validators=[DataRequired(), NumberRange(min=1, max=1_000_000)])
    source_url = StringField(_l("Source document (web address)"), validators=[DataRequired(), URL(), Length(max=500)])
    document_date = DateField(_l("Date of the document"), validators=[DataRequired()])
    supplier = StringField(_l("Supplier"), validators=[Optional(), Length(max=200)])
    amount = DecimalField(_l("Amount"), places=2, validators=[Optional(), NumberRange(min=0)])
    currency = SelectField(
        _l("Currency"),
        choices=[SelectChoice("", "–")] + [SelectChoice(c, c) for c in CURRENCIES],
        validate_choice=False,
    )
    description = TextAreaField(
        _l("What was declared or bought"), validators=[DataRequired(), Length(max=FIGURE_DESCRIPTION_MAX)]
    )
