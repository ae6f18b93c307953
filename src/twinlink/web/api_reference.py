"""The API's reference at /docs, drawn on the server from the OpenAPI description: every path
with its parameters, request body and answer, and each schema's fields. No script and nothing
from another site, so it shows under the site's Content-Security-Policy (a Swagger page fetched
from a CDN would be blocked)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from twinlink.web.deps import templates

router = APIRouter(include_in_schema=False)


@dataclass
class Operation:
    method: str
    path: str
    summary: str
    parameters: list[tuple[str, str, str, bool, str]] = field(
        default_factory=list
    )  # name, where, type, required, about
    body: str | None = None
    answers: list[tuple[str, str]] = field(default_factory=list)  # status, schema


def type_of(schema: dict[str, Any]) -> str:
    """A schema as a short type: ``PartyOut``, ``list[str]``, ``integer | null``."""
    if "$ref" in schema:
        return str(schema["$ref"]).rsplit("/", 1)[-1]
    if "anyOf" in schema:
        return " | ".join(type_of(s) for s in schema["anyOf"])
    if schema.get("type") == "array":
        return f"list[{type_of(schema.get('items', {}))}]"
    if schema.get("type") == "object" and "additionalProperties" in schema:
        return f"dict[str, {type_of(schema['additionalProperties']) if isinstance(schema['additionalProperties'], dict) else 'any'}]"
    return str(schema.get("type") or schema.get("title") or "any")


def operations(spec: dict[str, Any]) -> dict[str, list[Operation]]:
    by_tag: dict[str, list[Operation]] = {}
    for path, methods in spec.get("paths", {}).items():
        for method, op in methods.items():
            found = Operation(method.upper(), path, str(op.get("summary", "")))
            for parameter in op.get("parameters", []):
                found.parameters.append(
                    (
                        parameter["name"],
                        parameter["in"],
                        type_of(parameter.get("schema", {})),
                        bool(parameter.get("required")),
                        str(parameter.get("description", "")),
                    )
                )
            content = op.get("requestBody", {}).get("content", {})
            if content:
                kind, described = next(iter(content.items()))
                found.body = f"{type_of(described.get('schema', {}))} ({kind})"
            for status, answer in op.get("responses", {}).items():
                schema = answer.get("content", {}).get("application/json", {}).get("schema", {})
                found.answers.append((status, type_of(schema) if schema else str(answer.get("description", ""))))
            by_tag.setdefault((op.get("tags") or ["other"])[0], []).append(found)
    return by_tag


@router.get("/docs", response_class=HTMLResponse)
def reference(request: Request) -> HTMLResponse:
    spec = request.app.openapi()
    schemas = {
        name: [
            (prop, type_of(s), prop in schema.get("required", []), str(s.get("description", "")))
            for prop, s in schema.get("properties", {}).items()
        ]
        for name, schema in sorted(spec.get("components", {}).get("schemas", {}).items())
    }
    context = {"info": spec.get("info", {}), "tags": operations(spec), "schemas": schemas}
    return templates().TemplateResponse(request, "api_reference.html", context)
