"""Validate Clockify simulator answers against the official OpenAPI 3.0 document.

The validator is openapi-schema-validator's OAS30Validator over the spec in
simulators/specs/clockify-openapi.yaml. Three generator quirks of that spec are normalised,
each in the permissive direction only where the spec contradicts itself: enums declared as
`type: object` with a `oneOf` of one string enum are read as that string enum; optional
properties may be null (the spec never writes `nullable`, while Clockify answers nulls); and a
string enum whose own example is not one of its values (the member profile's `workingDays`,
"a list of days" typed as one day, with a JSON list as its example) is read as any string.
"""

from __future__ import annotations

import copy
import re
from functools import cache
from importlib import resources
from typing import Any

import yaml
from openapi_schema_validator import OAS30Validator


@cache
def spec() -> dict[str, Any]:
    text = resources.files("simulators").joinpath("specs/clockify-openapi.yaml").read_text()
    loaded: dict[str, Any] = yaml.safe_load(text)
    for schema in loaded["components"]["schemas"].values():
        _normalise(schema)
    return loaded


def _normalise(schema: Any) -> None:
    if not isinstance(schema, dict):
        return
    one_of = schema.get("oneOf")
    if (
        schema.get("type") == "object"
        and isinstance(one_of, list)
        and len(one_of) == 1
        and one_of[0].get("type") == "string"
    ):
        enum = one_of[0].get("enum")
        schema.clear()
        schema.update({"type": "string", "enum": enum} if enum else {"type": "string"})
        return
    example = schema.get("example")
    if schema.get("enum") and isinstance(example, str) and example not in schema["enum"]:
        del schema["enum"]
    required = set(schema.get("required") or [])
    for name, prop in (schema.get("properties") or {}).items():
        _normalise(prop)
        if name not in required and isinstance(prop, dict):
            if "$ref" in prop:
                schema["properties"][name] = {"anyOf": [prop, {"enum": [None]}]}
            else:
                prop["nullable"] = True
    for key in ("items", "additionalProperties"):
        _normalise(schema.get(key))
    for key in ("allOf", "anyOf", "oneOf"):
        for sub in schema.get(key) or []:
            _normalise(sub)


def operation(method: str, path: str) -> tuple[str, dict[str, Any]]:
    """The spec's path template and operation for a concrete `/v1/...` path."""
    for template, item in spec()["paths"].items():
        pattern = "^" + re.sub(r"\{[^}]+\}", "[^/]+", template) + "$"
        if re.match(pattern, path) and method.lower() in item:
            return template, item[method.lower()]
    raise AssertionError(f"{method} {path} is not in the Clockify spec")


def response_schema(method: str, path: str, status: int) -> dict[str, Any] | None:
    _, op = operation(method, path)
    responses = op["responses"]
    assert str(status) in responses, f"{method} {path}: status {status} is not documented"
    content = responses[str(status)].get("content") or {}
    media = next(iter(content.values()), None)
    return media["schema"] if media else None


def validate(method: str, path: str, status: int, body: Any) -> None:
    schema = response_schema(method, path, status)
    if schema is None:
        return
    document = {**copy.deepcopy(schema), "components": spec()["components"]}
    OAS30Validator(document).validate(body)
