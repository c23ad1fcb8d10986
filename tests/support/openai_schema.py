"""OpenAI's strict-mode rules for a JSON schema, as the fake model server applies them to each request.

A schema sent with `"strict": true` (a `json_schema` response format or a strict function) must use
only the documented subset of JSON Schema: the root an object (not `anyOf`); every object, nested
ones and those in `$defs` included, with `additionalProperties: false` and every property in
`required`; `$ref` only to `#` or a `$defs` entry that exists; no keyword outside the supported list
(`default` among the rejected); at most 10 levels of nesting (counted within each definition).
`check_strict` raises `SchemaError` with the message the real API gives; `complete` writes an
answer the way a model held to the schema does (every property present).
"""

from __future__ import annotations

from typing import Any

# The keywords OpenAI documents for strict mode; anything else is "not permitted".
_ALLOWED = {
    "type", "properties", "required", "additionalProperties", "items", "enum", "const", "anyOf", "$ref",
    "$defs", "definitions", "title", "description",
    "pattern", "format",  # strings
    "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf",  # numbers
    "minItems", "maxItems",  # arrays
}
_FORMATS = {"date-time", "time", "date", "duration", "email", "hostname", "ipv4", "ipv6", "uuid"}
_MAX_DEPTH = 10


class SchemaError(ValueError):
    """The schema breaks a strict-mode rule; the message says where, like the real API's."""

    def __init__(self, context: tuple[str, ...], problem: str) -> None:
        super().__init__(f"In context={context!r}, {problem}")


def resolve(node: dict[str, Any], root: dict[str, Any]) -> dict[str, Any]:
    """`node`, or the `$defs` entry (or the root) its `$ref` names."""
    ref = node.get("$ref")
    if ref is None:
        return node
    if ref == "#":
        return root
    for prefix in ("#/$defs/", "#/definitions/"):
        if ref.startswith(prefix) and ref[len(prefix):] in root.get(prefix[2:-1], {}):
            return root[prefix[2:-1]][ref[len(prefix):]]
    raise SchemaError(("$ref",), f"reference to component '{ref}' which was not found in the schema.")


def check_strict(schema: Any) -> None:
    """Raise `SchemaError` unless `schema` is one OpenAI accepts with `"strict": true`."""
    if not isinstance(schema, dict) or schema.get("type") != "object" or "anyOf" in schema:
        raise SchemaError((), "schema must be a JSON Schema of 'type: \"object\"', got something else.")
    _check(schema, schema, (), depth=1)
    for key in ("$defs", "definitions"):
        for name, definition in (schema.get(key) or {}).items():
            _check(definition, schema, (key, name), depth=1)


def _check(node: Any, root: dict[str, Any], where: tuple[str, ...], *, depth: int) -> None:
    if not isinstance(node, dict):
        raise SchemaError(where, "a schema must be an object.")
    if depth > _MAX_DEPTH:
        raise SchemaError(where, f"the schema nests more than {_MAX_DEPTH} levels.")
    unknown = sorted(set(node) - _ALLOWED)
    if unknown:
        raise SchemaError(where, f"'{unknown[0]}' is not permitted.")
    if "format" in node and node["format"] not in _FORMATS:
        raise SchemaError(where, f"format '{node['format']}' is not supported.")
    if "$ref" in node:
        resolve(node, root)  # the target itself is checked once, among the $defs
        return
    types = node.get("type")
    if "object" in (types if isinstance(types, list) else [types]):
        _check_object(node, root, where, depth=depth)
    if "items" in node:
        _check(node["items"], root, (*where, "items"), depth=depth + 1)
    for i, branch in enumerate(node.get("anyOf") or []):
        _check(branch, root, (*where, "anyOf", str(i)), depth=depth + 1)


def _check_object(node: dict[str, Any], root: dict[str, Any], where: tuple[str, ...], *, depth: int) -> None:
    if node.get("additionalProperties") is not False:
        raise SchemaError(where, "'additionalProperties' is required to be supplied and to be false.")
    properties = node.get("properties") or {}
    missing = [name for name in properties if name not in (node.get("required") or [])]
    if missing:
        raise SchemaError(where, "'required' is required to be supplied and to be an array including every key "
                                 f"in properties. Missing '{missing[0]}'.")
    for name, prop in properties.items():
        _check(prop, root, (*where, "properties", name), depth=depth + 1)


def complete(value: Any, schema: dict[str, Any], root: dict[str, Any]) -> Any:
    """`value` as a model held to `schema` writes it: every property present, null or [] when not set."""
    schema = resolve(schema, root)
    if isinstance(value, dict) and "properties" in schema:
        return {name: complete(value.get(name), prop, root) for name, prop in schema["properties"].items()}
    if isinstance(value, list) and "items" in schema:
        return [complete(item, schema["items"], root) for item in value]
    if value is None and schema.get("type") == "array":
        return []
    return value
