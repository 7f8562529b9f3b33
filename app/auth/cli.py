"""`flask users ...`: account administration from the command line."""

import click
from flask.cli import AppGroup

from app.auth import services
from app.errors import DomainError
from app.vocabulary import Role

users_cli = AppGroup("users", help="Moderator and admin accounts.")


@users_cli.command("create")
@click.argument("email")
@click.option("--role", type=click.Choice(Role.values()), default=Role.MODERATOR.value, show_default=True)
def create(email: str, role: str) -> None:
    """Create an account and print its one-time password."""
    password = services.generate_password()
    try:
        services.create_user(email, password, Role(role))
    except DomainError as error:
        raise click.ClickException(error.message) from error
    click.echo(f"Created {role} {email}. One-time password (shown once): {password}")


@users_cli.command("ensure-admin")
@click.option("--email", default="admin@localhost", show_default=True)
def ensure_admin(email: str) -> None:
    """Create the first admin if there is none (used by `make run`)."""
    password = services.ensure_admin(email)
    if password is None:
        click.echo("An admin account exists already.")
    else:
        click.echo(f"Created admin {email}. One-time password (shown once, change it): {password}")
