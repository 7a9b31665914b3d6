"""Submitting a report through Open311."""

from django.db import transaction
from django.utils.translation import gettext as _

from open311.models import AttributeAnswer, ServiceRequest
from reports import actions as report_actions
from reports.models import Channel, ReplyChannel


def _composed_description(category, answers) -> str:
    """A text for a request that came without a description: the service and the answers."""
    lines = [category.name]
    for attribute, value in answers:
        shown = value
        if isinstance(value, list) or attribute.datatype == "singlevaluelist":
            names = {option.key: option.name for option in attribute.values.all()}
            shown = ", ".join(names.get(key, key) for key in (value if isinstance(value, list) else [value]))
        lines.append(f"{attribute.description}: {shown}")
    return "\n".join(lines)


def submit_request(*, api_key, values) -> ServiceRequest:
    """Store a report from an Open311 client (``values`` from ``params.submission``).

    1. in one transaction, submit the report through ``reports.actions.submit_report``
       (channel ``api``; replies by email when an email address was given);
    2. store the answers to the service's questions and the request's own fields
       (token, address_id, media_url, device and account ids).
    Any error leaves nothing stored.
    """
    category, answers = values["category"], values["answers"]
    description = values["description"] or _composed_description(category, answers)
    with transaction.atomic():
        report = report_actions.submit_report(
            description=description,
            channel=Channel.API,
            channel_reference=_("Open311: %(app)s") % {"app": api_key.name},
            government=values["government"],
            category=category,
            region=values["region"],
            address=values["address"],
            latitude=values["latitude"],
            longitude=values["longitude"],
            is_anonymous=values["is_anonymous"],
            is_confidential=values["is_confidential"],
            reporter_name=values["name"],
            reporter_phone=values["phone"],
            reporter_email=values["email"],
            reply_channel=ReplyChannel.EMAIL if values["email"] else ReplyChannel.NONE,
        )
        AttributeAnswer.objects.bulk_create(
            AttributeAnswer(report=report, attribute=attribute, value=value) for attribute, value in answers
        )
        return ServiceRequest.objects.create(
            report=report,
            api_key=api_key,
            address_id=values["address_id"],
            media_url=values["media_url"],
            device_id=values["device_id"],
            account_id=values["account_id"],
        )
