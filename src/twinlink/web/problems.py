"""The API's errors as RFC 9457 problem details (``application/problem+json``): ``type``,
``title``, ``status`` and ``detail``, with ``error`` (the detail again, the field clients read
before problem details) and, for a form or parameters, ``fields``."""

from __future__ import annotations

from http import HTTPStatus
from typing import Any

import orjson
from fastapi.responses import Response
from pydantic import BaseModel

MEDIA_TYPE = "application/problem+json"
# RFC 9110's names where older Pythons keep the earlier ones, so every Python answers alike
_TITLES = {413: "Content Too Large", 422: "Unprocessable Content"}


def problem(status: int, detail: str, fields: dict[str, str] | None = None) -> Response:
    try:
        title = _TITLES.get(status) or HTTPStatus(status).phrase
    except ValueError:
        title = "Error"
    body: dict[str, object] = {"type": "about:blank", "title": title, "status": status, "detail": detail}
    body["error"] = detail
    if fields is not None:
        body["fields"] = fields
    return Response(orjson.dumps(body), status_code=status, media_type=MEDIA_TYPE)


def described(model: type[BaseModel], description: str | None = None) -> dict[str, Any]:
    """An error answer for a route's ``responses``: the model's schema under the problem media type
    (and under JSON, where FastAPI puts a model's schema)."""
    answer: dict[str, Any] = {
        "model": model,
        "content": {MEDIA_TYPE: {"schema": {"$ref": f"#/components/schemas/{model.__name__}"}}},
    }
    if description:
        answer["description"] = description
    return answer
