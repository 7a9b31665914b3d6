"""One small client per outside service (WhatsApp Cloud API, Instagram, SMS gateway), each
with its base URL in settings so tests point it at a local fake server."""
