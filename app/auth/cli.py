"""`flask users ...`: account administration from the command line."""

import click
from flask.cli import AppGroup

from app.auth import services
from app.errors import DomainError
from app.vocabulary import Role

users_cli = AppGroup("users", help="Moderator and admin accounts.")

_HOURS = int(services.ONE_TIME_PASSWORD_LIFETIME.total_seconds()) // 3600
_EXPIRY = f"valid {_HOURS} hours, changed at the first sign-in"


def _find(email: str):
    from sqlalchemy import func, select

    from app.extensions import db
    from app.models import User

    user = db.session.scalar(select(User).where(func.lower(User.email) == email.strip().lower()))
    if user is None:
        raise click.ClickException("There is no such account.")
    return user


@users_cli.command("create")
@click.argument("email")
@click.option("--role", type=click.Choice(Role.values()), default=Role.MODERATOR.value, show_default=True)
def create(email: str, role: str) -> None:
    """Create an account and print its one-time password (valid 72 hours, replaced at the first sign-in)."""
    try:
        _user, password = services.create_with_one_time_password(email, Role(role))
    except DomainError as error:
        raise click.ClickException(error.message) from error
    click.echo(f"Created {role} {email}. One-time password (shown once, {_EXPIRY}): {password}")


@users_cli.command("ensure-admin")
@click.option("--email", default="admin@localhost", show_default=True)
def ensure_admin(email: str) -> None:
    """Create the first admin if there is none (used by `make run`)."""
    password = services.ensure_admin(email)
    if password is None:
        click.echo("An admin account exists already.")
    else:
        click.echo(f"Created admin {email}. One-time password (shown once, {_EXPIRY}): {password}")


@users_cli.command("reset-password")
@click.argument("email")
def reset_password(email: str) -> None:
    """Give EMAIL a new one-time password (ends its sessions and API tokens) and print it."""
    user, password = services.reset_password(_find(email).id)
    click.echo(f"New one-time password for {user.email} (shown once, {_EXPIRY}): {password}")


@users_cli.command("token")
@click.argument("email")
@click.option("--name", default="cli", show_default=True, help="What the token is for.")
def token(email: str, name: str) -> None:
    """Create an API token for EMAIL and print it (shown once; only its hash is stored)."""
    from app.auth import tokens

    try:
        row, secret = tokens.create_token_for_email(email, name)
    except DomainError as error:
        raise click.ClickException(error.message) from error
    click.echo(f"Token {row.id} for {email} (shown once): {secret}")


@users_cli.command("revoke-token")
@click.argument("token_id", type=int)
def revoke_token(token_id: int) -> None:
    """Revoke an API token by its id."""
    from app.auth import tokens

    try:
        tokens.revoke_token(token_id)
    except DomainError as error:
        raise click.ClickException(error.message) from error
    click.echo(f"Token {token_id} revoked.")


@users_cli.command("disable")
@click.argument("email")
def disable(email: str) -> None:
    """Disable an account: its sessions and API tokens stop working at once."""
    user = _find(email)
    services.set_active(user.id, False)
    click.echo(f"Disabled {user.email}.")


@users_cli.command("reset-second-factor")
@click.argument("email")
def reset_second_factor(email: str) -> None:
    """Forget EMAIL's TOTP secret (a lost phone, or a lost key file): they set it up again at the next sign-in."""
    user = services.reset_second_factor(_find(email).id)
    click.echo(
        f"{user.email} sets up two-factor authentication again at the next sign-in; sessions and API tokens ended."
    )


@users_cli.command("check-totp-key")
def check_totp_key() -> None:
    """Check that every TOTP secret opens with the key file (run it after restoring a backup)."""
    from app.auth import sealing, second_factor

    try:
        count = second_factor.check_totp_key()
    except sealing.SealingError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"All {count} TOTP secrets open with {sealing.key_file()}.")


@users_cli.command("rotate-totp-key")
def rotate_totp_key() -> None:
    """Seal every TOTP secret under a new key, then delete the old key; sign-in keeps working throughout."""
    from app.auth import sealing, second_factor

    try:
        count, key_id = second_factor.rotate_totp_key()
    except sealing.SealingError as error:
        raise click.ClickException(f"{error}\nNothing was re-sealed.") from error
    click.echo(
        f"Re-sealed {count} TOTP secrets under key {key_id} of {sealing.key_file()}; the old key is deleted. "
        "Back up the key file now, together with a fresh database dump: older dumps need the old key file."
    )
