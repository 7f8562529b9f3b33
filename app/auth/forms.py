"""Forms for signing in, the second factor, passwords and account administration."""

import re

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, SelectField, StringField, SubmitField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, EqualTo, Length, Regexp, ValidationError

from app.input_guards import has_control_characters
from app.models.columns import TOKEN_NAME_MAX
from app.vocabulary import Role


def no_control_characters(_form, field) -> None:
    if field.data and has_control_characters(field.data):
        raise ValidationError(_l("Remove the invisible or control characters."))


class LoginForm(FlaskForm):
    email = EmailField(_l("E-mail"), validators=[DataRequired(), Length(max=254), no_control_characters])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=1024)])
    submit = SubmitField(_l("Sign in"))


class CodeForm(FlaskForm):
    code = StringField(
        _l("Six-digit code from your authenticator app"),
        validators=[
            DataRequired(),
            # ASCII digits only: "\d" would also take Arabic-Indic or full-width digits.
            Regexp(r"^\s*[0-9]{3}\s?[0-9]{3}\s*$", flags=re.ASCII, message=_l("Enter the six digits.")),
        ],
        render_kw={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True},
    )
    submit = SubmitField(_l("Confirm"))


class PasswordChangeForm(FlaskForm):
    current = PasswordField(_l("Current password"), validators=[DataRequired(), Length(max=1024)])
    new = PasswordField(_l("New password"), validators=[DataRequired(), Length(max=1024)])
    repeat = PasswordField(
        _l("New password again"), validators=[DataRequired(), EqualTo("new", message=_l("The passwords differ."))]
    )
    submit = SubmitField(_l("Change password"))


class InviteForm(FlaskForm):
    email = EmailField(_l("E-mail"), validators=[DataRequired(), Length(max=254), no_control_characters])
    role = SelectField(
        _l("Role"), choices=[SelectChoice(v, label) for v, label in Role.choices()], default=Role.MODERATOR.value
    )
    submit = SubmitField(_l("Create account"))


class TokenForm(FlaskForm):
    name = StringField(
        _l("What the token is for"), validators=[DataRequired(), Length(max=TOKEN_NAME_MAX), no_control_characters]
    )
    password = PasswordField(_l("Your password, to confirm"), validators=[DataRequired(), Length(max=1024)])
    submit = SubmitField(_l("Create token"))


class ActionForm(FlaskForm):
    """A button that changes state: carries only the CSRF token."""
