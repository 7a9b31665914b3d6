"""GeoReport v2 documents as JSON or XML (UTF-8). The same Python value (lists, dicts,
strings, numbers, booleans, None) is written either way; the XML names the root and the
element of each list item the way the specification's examples do."""

import itertools
import json
import re
from xml.etree import ElementTree

from django.http import HttpResponse, StreamingHttpResponse

FORMATS = {"json": "application/json; charset=utf-8", "xml": "text/xml; charset=utf-8"}

# The element name of each item of a list held under these names.
ITEM_TAGS = {
    "services": "service",
    "service_requests": "request",
    "errors": "error",
    "attributes": "attribute",
    "values": "value",
    "endpoints": "endpoint",
    "formats": "format",
}

# Items per dumps() call when streaming a JSON list.
STREAM_BATCH = 100

# Characters XML 1.0 cannot carry, even escaped.
_NOT_XML = re.compile("[^\u0009\u000a\u000d\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return _NOT_XML.sub("", str(value))


def _fill(element, value):
    if isinstance(value, dict):
        for name, child in value.items():
            _fill(ElementTree.SubElement(element, name), child)
    elif isinstance(value, list):
        tag = ITEM_TAGS.get(element.tag, "item")
        for child in value:
            _fill(ElementTree.SubElement(element, tag), child)
    else:
        element.text = _text(value)


def to_xml(root: str, value) -> bytes:
    element = ElementTree.Element(root)
    _fill(element, value)
    return ElementTree.tostring(element, encoding="utf-8", xml_declaration=True)


def to_json(value) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode()


def respond(fmt, root, value, *, status=200, headers=None) -> HttpResponse:
    body = to_xml(root, value) if fmt == "xml" else to_json(value)
    response = HttpResponse(body, status=status, content_type=FORMATS.get(fmt, FORMATS["json"]))
    for name, header in (headers or {}).items():
        response[name] = header
    return response


def stream_json(items, *, headers=None) -> StreamingHttpResponse:
    """A JSON list written item by item: the same bytes as ``to_json(list(items))``."""

    def chunks():
        # A batch of items is one dumps() call (a list's items joined by "," as dumps
        # writes them), not one per item: [a,b] is "[" + a + "," + b + "]".
        yield b"["
        batches = iter(items)
        first = True
        while batch := list(itertools.islice(batches, STREAM_BATCH)):
            yield (b"" if first else b",") + to_json(batch)[1:-1]
            first = False
        yield b"]"

    response = StreamingHttpResponse(chunks(), content_type=FORMATS["json"])
    for name, header in (headers or {}).items():
        response[name] = header
    return response


def errors(fmt, status, description, headers=None) -> HttpResponse:
    return respond(fmt, "errors", [{"code": status, "description": description}], status=status, headers=headers)
