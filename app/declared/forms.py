"""The admin's form for importing a declared list."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, DateField, StringField
from wtforms.validators import DataRequired, Length, Optional

from app.models.declared import DECLARED_LICENCE_MAX, DECLARED_SOURCE_MAX


class DeclaredImportForm(FlaskForm):
    file = FileField(_l("List (CSV with latitude and longitude, or GeoJSON points)"), validators=[FileRequired()])
    source = StringField(_l("Source of the list"), validators=[DataRequired(), Length(max=DECLARED_SOURCE_MAX)])
    source_url = StringField(_l("Source document (web address)"), validators=[Optional(), Length(max=500)])
    document_date = DateField(_l("Date of the document"), validators=[DataRequired()])
    licence = StringField(_l("Licence or terms"), validators=[DataRequired(), Length(max=DECLARED_LICENCE_MAX)])
    keep_good_rows = BooleanField(_l("Store the good rows even if some rows are bad"))
