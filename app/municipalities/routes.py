"""Municipality pages."""

from flask import Blueprint, render_template

from app.municipalities import services

bp = Blueprint("municipalities", __name__, url_prefix="/municipalities")


@bp.get("/")
def index():
    return render_template("municipalities/index.html", municipalities=services.list_municipalities())
