"""Reading a JSON body that someone outside sent (webhooks, the REST API).

``json.loads`` recurses once per nesting level: a body of 100,000 ``[`` raises
RecursionError, which no caller expects (a 500), and a body just under the interpreter's
limit parses but breaks whatever walks it next (storing it in a JSONField serialises it
again, recursively). No real payload nests more than a handful of levels, so anything
deeper than MAX_DEPTH is refused as malformed, like any other unreadable body.
"""

import json

MAX_DEPTH = 64


class TooDeep(ValueError):
    """The body nests deeper than MAX_DEPTH (or than the interpreter can parse)."""


def loads(data, **kwargs):
    """``json.loads(data)``, or ValueError (TooDeep for a body nested too deeply)."""
    try:
        value = json.loads(data, **kwargs)
    except RecursionError:
        raise TooDeep(f"JSON nested deeper than {MAX_DEPTH} levels") from None
    check_depth(value)
    return value


def check_depth(value, limit: int = MAX_DEPTH) -> None:
    """TooDeep when ``value`` (parsed JSON) nests deeper than ``limit``; walked without
    recursion, so the check cannot fail the way the parser did."""
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict):
            children = item.values()
        elif isinstance(item, list):
            children = item
        else:
            continue
        if depth > limit:
            raise TooDeep(f"JSON nested deeper than {limit} levels")
        stack.extend((child, depth + 1) for child in children)
