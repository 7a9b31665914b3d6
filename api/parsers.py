"""DRF's JSON parser with the depth limit of every JSON body Aduan reads (core/jsonbody.py):
a body nested 100,000 levels deep is a 400 ``parse_error``, not a RecursionError and a 500."""

import codecs

from rest_framework import parsers
from rest_framework.exceptions import ParseError
from rest_framework.utils import json as drf_json

from core import jsonbody


class JSONParser(parsers.JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        encoding = parsers.get_encoding(parser_context or {})
        try:
            text = codecs.getreader(encoding)(stream).read()
            parse_constant = drf_json.strict_constant if self.strict else None
            return jsonbody.loads(text, parse_constant=parse_constant)
        except ValueError as exc:  # UnicodeDecodeError and jsonbody.TooDeep are ValueErrors
            raise ParseError(f"JSON parse error - {exc}") from None
