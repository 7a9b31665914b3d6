"""The official GeoReport v2 JSON Schemas (copied into tests/open311_schemas/) as validators
for tests, and an XML reader that turns a GeoReport XML document back into the JSON shape."""

import datetime as dt
import json
from pathlib import Path
from urllib.parse import urlsplit
from xml.etree import ElementTree

from jsonschema import Draft7Validator, FormatChecker
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT7

SCHEMAS = Path(__file__).resolve().parent / "open311_schemas"

checker = FormatChecker()


@checker.checks("date-time", raises=ValueError)
def _date_time(value):
    # ISO 8601 with a time zone, as the specification asks (non-strings are the type's business).
    if not isinstance(value, str):
        return True
    return dt.datetime.fromisoformat(value).tzinfo is not None


@checker.checks("uri")
def _uri(value):
    if not isinstance(value, str):
        return True
    parts = urlsplit(value)
    return parts.scheme in ("http", "https") and bool(parts.netloc)


def _registry():
    resources = []
    for name in ("request.json", "requests.json", "service.json", "services.json", "service-definition.json"):
        resources.append((name, Resource.from_contents(json.loads((SCHEMAS / name).read_text()), DRAFT7)))
    swagger = json.loads((SCHEMAS / "swagger.json").read_text())
    for name in ("RequestResponse", "TokenResponse"):
        schema = {"type": "array", "minItems": 1, "items": swagger["definitions"][name]}
        resources.append((f"swagger-{name}", Resource.from_contents(schema, DRAFT7)))
    return Registry().with_resources(resources)


REGISTRY = _registry()


def validate(document, schema_name):
    """Raise jsonschema.ValidationError unless ``document`` is valid against ``schema_name``."""
    Draft7Validator({"$ref": schema_name}, registry=REGISTRY, format_checker=checker).validate(document)


LISTS = {"services", "service_requests", "errors", "attributes", "values", "endpoints", "formats"}
NUMBERS = {"lat", "long", "order"}
BOOLEANS = {"metadata", "variable", "required"}


def from_xml(body: bytes):
    """The XML document as the JSON value it renders (None for empty leaves)."""
    root = ElementTree.fromstring(body)

    def read(element):
        if element.tag in LISTS:
            return [read(child) for child in element]
        if len(element):
            return {child.tag: read(child) for child in element}
        text = element.text
        if text is None:
            return None
        if element.tag in BOOLEANS:
            return text == "true"
        if element.tag in NUMBERS:
            return float(text) if "." in text else int(text)
        return text

    return root.tag, read(root)
