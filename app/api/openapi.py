"""The API contract: GET /api/v1/openapi.json (the static document app/api/openapi.json) and a page at /api."""

import json
from functools import cache
from pathlib import Path
from typing import Any

from flask import Blueprint, render_template

from app.api import bp
from app.http import json_response

DOCUMENT = Path(__file__).with_name("openapi.json")
docs_bp = Blueprint("api_docs", __name__)


@cache
def openapi_document() -> dict[str, Any]:
    """The OpenAPI 3 document; other features add their paths to the JSON file."""
    return json.loads(DOCUMENT.read_text(encoding="utf-8"))


@bp.get("/openapi.json")
def openapi_json():
    return json_response(json.dumps(openapi_document(), ensure_ascii=False, indent=1), max_age=300)


def _operations(document: dict[str, Any]) -> list[dict[str, Any]]:
    """Each operation flattened for the human page, in the document's order."""
    operations = []
    for path, item in document["paths"].items():
        for method, operation in item.items():
            if method not in {"get", "post", "put", "patch", "delete"}:
                continue
            parameters = [*item.get("parameters", []), *operation.get("parameters", [])]
            for media_type, body in operation.get("requestBody", {}).get("content", {}).items():
                reference = body.get("schema", {}).get("$ref", "")
                parameters.append(
                    {"name": reference.rsplit("/", 1)[-1], "in": "body", "schema": {"type": media_type}, "ref": True}
                )
            responses = [
                {
                    "status": status,
                    "description": response.get("description", ""),
                    "types": list(response.get("content", {})),
                }
                for status, response in operation.get("responses", {}).items()
            ]
            operations.append(
                {
                    "method": method.upper(),
                    "path": path,
                    "summary": operation.get("summary", ""),
                    "description": operation.get("description", ""),
                    "parameters": parameters,
                    "responses": responses,
                    "anchor": operation.get("operationId", f"{method}-{path}"),
                }
            )
    return operations


@docs_bp.get("/api")
def api_page():
    document = openapi_document()
    schemas = {
        name: json.dumps(schema, ensure_ascii=False, indent=2)
        for name, schema in document.get("components", {}).get("schemas", {}).items()
    }
    return render_template("api/index.html", info=document["info"], operations=_operations(document), schemas=schemas)
