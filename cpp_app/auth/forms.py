"""Forms for logging in and for administering user accounts."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, Email, EqualTo, Length, Optional

from cpp_app.auth.passwords import MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH
from cpp_app.choices import select_choices
from cpp_app.roles import Role
from cpp_app.stations.fields import ShieldNumberField

PASSWORD_LENGTH_MESSAGE = (
    f"The password must be between {MIN_PASSWORD_LENGTH} and {MAX_PASSWORD_LENGTH} "
    "characters long."
)
PASSWORD_RULE = (
    f"At least {MIN_PASSWORD_LENGTH} characters, not a common or easily guessed password: "
    "a phrase of several unrelated words works well."
)


def new_password_field(label: str, note: str) -> PasswordField:
    """A field for a password being set, with the rules stated beside it."""
    return PasswordField(
        label,
        validators=[DataRequired(), Length(min=MIN_PASSWORD_LENGTH, max=MAX_PASSWORD_LENGTH,
                                           message=PASSWORD_LENGTH_MESSAGE)],
        description=f"{PASSWORD_RULE} {note}".strip(),
        render_kw={"autocomplete": "new-password"},
    )


def confirm_field() -> PasswordField:
    """The new password once more, which must match."""
    return PasswordField(
        "Repeat the new password",
        validators=[DataRequired(), EqualTo("password", message="The passwords do not match.")],
        render_kw={"autocomplete": "new-password"},
    )


def code_field(label: str, description: str) -> StringField:
    """A one-time code typed from an authenticator app (or a recovery code)."""
    return StringField(
        label, validators=[DataRequired(), Length(max=40)], description=description,
        render_kw={"autocomplete": "one-time-code", "autocapitalize": "none",
                   "spellcheck": "false"},
    )


class LoginForm(FlaskForm):
    """Email and password."""

    email = EmailField("Email", validators=[DataRequired(), Length(max=254)],
                       render_kw={"autocomplete": "username"})
    password = PasswordField("Password", validators=[DataRequired(), Length(max=200)],
                             render_kw={"autocomplete": "current-password"})
    submit = SubmitField("Log in")


class LoginCodeForm(FlaskForm):
    """The code asked after the password."""

    code = code_field("Code", "The six-digit code your authenticator app shows now, "
                              "or one of your recovery codes.")
    submit = SubmitField("Verify")


class EnrolForm(FlaskForm):
    """The first code from a newly set-up authenticator app."""

    code = code_field("Code from the app", "The six-digit code the app shows for CPP Manager.")
    submit = SubmitField("Turn on two-factor authentication")


class ChangePasswordForm(FlaskForm):
    """A user changes their own password."""

    current_password = PasswordField(
        "Current password", validators=[DataRequired(), Length(max=200)],
        render_kw={"autocomplete": "current-password"})
    password = new_password_field("New password", "Your other sessions end.")
    confirm = confirm_field()
    submit = SubmitField("Change password")


class PasswordConfirmForm(FlaskForm):
    """One's current password, to confirm a change to how one logs in."""

    current_password = PasswordField(
        "Current password", validators=[DataRequired(), Length(max=200)],
        render_kw={"autocomplete": "current-password"})
    submit = SubmitField("Turn two-factor off")


class ForgotPasswordForm(FlaskForm):
    """The email to send a reset link to."""

    email = EmailField("Email", validators=[DataRequired(), Email(check_deliverability=False),
                                            Length(max=254)],
                       render_kw={"autocomplete": "username"})
    submit = SubmitField("Email me a link")


class NewPasswordForm(FlaskForm):
    """A new password chosen through an emailed link."""

    password = new_password_field("New password", "You are logged out everywhere.")
    confirm = confirm_field()
    submit = SubmitField("Set new password")


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
    confirm = confirm_field()
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
