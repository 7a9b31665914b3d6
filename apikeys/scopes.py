"""What an API key may do. Each API registers its scopes here (in its AppConfig.ready or
at import), and the administrator ticks them when issuing a key."""

SCOPES: dict[str, object] = {}


def register(code: str, label) -> None:
    SCOPES.setdefault(code, label)


def choices():
    return [(code, label) for code, label in SCOPES.items()]
