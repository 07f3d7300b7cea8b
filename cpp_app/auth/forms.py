"""Forms for logging in and for administering user accounts."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, Email, EqualTo, Length, Optional

from cpp_app.auth.services import MIN_PASSWORD_LENGTH
from cpp_app.choices import select_choices
from cpp_app.roles import Role
from cpp_app.stations.fields import ShieldNumberField

PASSWORD_LENGTH_MESSAGE = (
    f"The password must be between {MIN_PASSWORD_LENGTH} and 200 characters long."
)


def new_password_field(label: str, note: str) -> PasswordField:
    """A field for a password being set, with the length rule stated beside it."""
    return PasswordField(
        label,
        validators=[DataRequired(), Length(min=MIN_PASSWORD_LENGTH, max=200,
                                           message=PASSWORD_LENGTH_MESSAGE)],
        description=f"At least {MIN_PASSWORD_LENGTH} characters. {note}".strip(),
    )


class LoginForm(FlaskForm):
    """Email and password."""

    email = EmailField("Email", validators=[DataRequired(), Length(max=254)])
    password = PasswordField("Password", validators=[DataRequired(), Length(max=200)])
    submit = SubmitField("Log in")


class UserForm(FlaskForm):
    """An account's details as an administrator edits them."""

    email = EmailField(
        "Email", validators=[DataRequired(), Email(check_deliverability=False), Length(max=254)]
    )
    name = StringField("Name", validators=[DataRequired(), Length(max=120)])
    role = SelectField(
        "Role", choices=Role.choices(),
        validators=[DataRequired()],
    )
    station_id = SelectField(
        "Station", coerce=str, validators=[Optional()],
        description="Required for unit commanders and station staff.",
    )
    member_shield = ShieldNumberField(
        "Linked member (shield number)",
        description="Leave empty if the user is not a department member.",
    )
    active = BooleanField("Active", default=True)
    submit = SubmitField("Save user")


class NewUserForm(UserForm):
    """A new account also needs its first password."""

    password = new_password_field("Password", "")
    submit = SubmitField("Create user")


class PasswordResetForm(FlaskForm):
    """An administrator sets a new password for an account."""

    password = new_password_field("New password", "The user's sessions end.")
    confirm = PasswordField(
        "Repeat the new password",
        validators=[DataRequired(), EqualTo("password", message="The passwords do not match.")],
    )
    submit = SubmitField("Reset password")


class UserFilterForm(FlaskForm):
    """Filters on the user list (a GET form)."""

    class Meta:
        csrf = False

    q = StringField("Search name or email", validators=[Optional(), Length(max=100)])
    role = SelectField(
        "Role",
        choices=Role.choices(blank="Any role"),
        validators=[Optional()],
    )
    station = SelectField("Station", validators=[Optional()])
    status = SelectField(
        "Status",
        choices=select_choices([("active", "Active"), ("inactive", "Inactive"), ("all", "All")]),
        default="active", validators=[Optional()],
    )
