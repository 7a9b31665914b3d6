"""The outside services of Aduan's settings (aduan/settings.py reads them from here): mail
out (SMTP) and in (the email channel's IMAP inbox), Meta's Graph API (WhatsApp, Instagram),
the SMS gateway, and which government each channel account files its reports into. Read
from environment variables like the rest (see .env.example)."""

from django.core.exceptions import ImproperlyConfigured

from aduan import env

EMAIL_BACKEND = env.string("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env.string("EMAIL_HOST", "localhost")
EMAIL_PORT = env.integer("EMAIL_PORT", 25)
EMAIL_HOST_USER = env.string("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env.secret("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env.boolean("EMAIL_USE_TLS")
EMAIL_USE_SSL = env.boolean("EMAIL_USE_SSL")
DEFAULT_FROM_EMAIL = env.string("DEFAULT_FROM_EMAIL", "aduan@localhost")
# The email channel's inbox (intake/email.py), read over IMAP; an empty ADUAN_IMAP_HOST turns it off.
# Handled mail is moved to ADUAN_IMAP_DONE_MAILBOX, mail that could not be handled to
# ADUAN_IMAP_FAILED_MAILBOX for a human ("/" is replaced by the server's hierarchy separator).
ADUAN_IMAP_HOST = env.string("ADUAN_IMAP_HOST")
ADUAN_IMAP_PORT = env.integer("ADUAN_IMAP_PORT", 993)
ADUAN_IMAP_SSL = env.boolean("ADUAN_IMAP_SSL", True)
ADUAN_IMAP_USER = env.string("ADUAN_IMAP_USER")
ADUAN_IMAP_PASSWORD = env.secret("ADUAN_IMAP_PASSWORD")
ADUAN_IMAP_MAILBOX = env.string("ADUAN_IMAP_MAILBOX", "INBOX")
ADUAN_IMAP_DONE_MAILBOX = env.string("ADUAN_IMAP_DONE_MAILBOX", "Aduan/Diproses")
ADUAN_IMAP_FAILED_MAILBOX = env.string("ADUAN_IMAP_FAILED_MAILBOX", "Aduan/Perlu-diperiksa")

# Outside services. Each client in gateways/ reads its base URL here, so tests point it at a
# local fake server.
ADUAN_META_GRAPH_API_URL = env.string("ADUAN_META_GRAPH_API_URL", "https://graph.facebook.com/v21.0")
ADUAN_META_APP_SECRET = env.secret("ADUAN_META_APP_SECRET")  # checks X-Hub-Signature-256 on every webhook POST
ADUAN_META_VERIFY_TOKEN = env.secret("ADUAN_META_VERIFY_TOKEN")  # the webhook verification handshake
ADUAN_WHATSAPP_PHONE_NUMBER_ID = env.string("ADUAN_WHATSAPP_PHONE_NUMBER_ID")
ADUAN_WHATSAPP_ACCESS_TOKEN = env.secret("ADUAN_WHATSAPP_ACCESS_TOKEN")
ADUAN_INSTAGRAM_ACCOUNT_ID = env.string("ADUAN_INSTAGRAM_ACCOUNT_ID")
ADUAN_INSTAGRAM_ACCESS_TOKEN = env.secret("ADUAN_INSTAGRAM_ACCESS_TOKEN")
ADUAN_SMS_GATEWAY_URL = env.string("ADUAN_SMS_GATEWAY_URL")
ADUAN_SMS_GATEWAY_TOKEN = env.secret("ADUAN_SMS_GATEWAY_TOKEN")
ADUAN_SMS_WEBHOOK_SECRET = env.secret("ADUAN_SMS_WEBHOOK_SECRET")
ADUAN_SMS_SENDER_ID = env.string("ADUAN_SMS_SENDER_ID", "ADUAN")
# Which government each channel account files its new reports into (intake/accounts.py):
# "CHANNEL:ACCOUNT=government-slug" entries, comma-separated, e.g.
# "whatsapp:109876543210=kota-kediri,sms:+6281234500000=kota-kediri,email:lapor@kedirikota.go.id=kota-kediri,
# instagram:17841400000000=kota-kediri". ACCOUNT is the WhatsApp phone-number id, the Instagram
# account id, the SMS gateway's own number (its "to" field) or the address a mail was sent
# to. An account not listed files into the default government (home_government()).
ADUAN_CHANNEL_GOVERNMENTS = {}
for _entry in env.listing("ADUAN_CHANNEL_GOVERNMENTS"):
    _account, _sep, _slug = _entry.rpartition("=")
    _channel, _colon, _id = _account.partition(":")
    if not (_sep and _colon and _channel and _id and _slug):
        raise ImproperlyConfigured(f"ADUAN_CHANNEL_GOVERNMENTS: {_entry!r} is not CHANNEL:ACCOUNT=government-slug.")
    ADUAN_CHANNEL_GOVERNMENTS[f"{_channel.strip().lower()}:{_id.strip()}"] = _slug.strip()


def _tokens(name, value) -> dict:
    """The variable ``name``'s ``value``, ``ACCOUNT=token,…`` (or the same in the file
    ``<name>_FILE``): the access token of each account that has one of its own."""
    tokens = {}
    for entry in (item.strip() for item in value.split(",")):
        if not entry:
            continue
        account, sep, token = entry.partition("=")
        if not (sep and account.strip() and token.strip()):
            raise ImproperlyConfigured(f"{name}: an entry is not ACCOUNT=token.")  # never the token itself
        tokens[account.strip()] = token.strip()
    return tokens


# A government's own WhatsApp number or Instagram account (listed above) sends with its own
# token when it has one here, else with ADUAN_WHATSAPP_ACCESS_TOKEN / ADUAN_INSTAGRAM_ACCESS_TOKEN
# (a system user's token may cover every number of the business): "phone-number-id=token,…",
# "instagram-account-id=token,…".
ADUAN_WHATSAPP_ACCESS_TOKENS = _tokens("ADUAN_WHATSAPP_ACCESS_TOKENS", env.secret("ADUAN_WHATSAPP_ACCESS_TOKENS"))
ADUAN_INSTAGRAM_ACCESS_TOKENS = _tokens("ADUAN_INSTAGRAM_ACCESS_TOKENS", env.secret("ADUAN_INSTAGRAM_ACCESS_TOKENS"))
# Largest media a channel may bring in (WhatsApp photos, email attachments).
ADUAN_CHANNEL_MAX_MEDIA_BYTES = env.integer("ADUAN_CHANNEL_MAX_MEDIA_BYTES", 10 * 1024 * 1024)
