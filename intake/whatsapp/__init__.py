"""The WhatsApp channel (WhatsApp Business Cloud API).

``webhook`` receives Meta's calls and stores each message; ``conversation`` runs the
guided conversation in a background task (intake/tasks.py). See docs/channels/whatsapp.md.
"""

from intake.whatsapp.webhook import webhook

__all__ = ["webhook"]
