"""Background work of the channels (django-tasks: the database backend by default, RQ
workers with TASKS_BACKEND=rq). Webhooks store what arrives and enqueue these after the
commit, so they answer the provider at once."""

from django_tasks import task

from intake.whatsapp import conversation as whatsapp_conversation


@task()
def process_whatsapp_message(message_id: int) -> None:
    """Run one stored WhatsApp message through the guided conversation (a no-op when it
    was already handled)."""
    whatsapp_conversation.handle(message_id)
