"""Categories as Open311 services: every active category without active children is a
service (its code is the category id), grouped under its parent category, with the
keywords of its triage keyword rule and the administrator's questions (attributes)."""

import re

from django.db.models import Exists, OuterRef, Prefetch

from open311.models import LIST_TYPES, AttributeValue, ServiceAttribute
from reports.models import Category


def service_categories(government=None):
    """The services of ``government`` (every government's with None)."""
    active_child = Category.objects.filter(parent=OuterRef("pk"), is_active=True)
    active_attributes = ServiceAttribute.objects.filter(category=OuterRef("pk"), is_active=True)
    categories = Category.objects.filter(is_active=True)
    if government is not None:
        categories = categories.filter(government=government)
    return (
        categories.exclude(parent__is_active=False)
        .exclude(Exists(active_child))
        .annotate(has_attributes=Exists(active_attributes))
        .select_related("parent", "keyword_rule")
        .order_by("parent__name", "name", "pk")
    )


def get_service(code, government=None):
    """The category of ``government`` whose service code is ``code``, or None."""
    if not re.fullmatch(r"\d{1,18}", code or ""):
        return None
    return service_categories(government).filter(pk=int(code)).first()


def _keywords(category):
    rule = getattr(category, "keyword_rule", None)
    if rule is None or not rule.is_active:
        return None
    words = [word.strip() for word in re.split(r"[,\n]", rule.keywords) if word.strip()]
    return ", ".join(words) or None


def service(category) -> dict:
    return {
        "service_code": str(category.pk),
        "service_name": category.name,
        "description": str(category),
        "metadata": bool(category.has_attributes),
        "type": "realtime",
        "keywords": _keywords(category),
        "group": category.parent.name if category.parent_id else None,
    }


def attributes_of(category):
    return list(
        ServiceAttribute.objects.filter(category=category, is_active=True).prefetch_related(
            Prefetch("values", queryset=AttributeValue.objects.order_by("order", "pk"))
        )
    )


def definition(category) -> dict:
    attributes = []
    for attribute in attributes_of(category):
        item = {
            "variable": attribute.variable,
            "code": attribute.code,
            "datatype": attribute.datatype,
            "required": attribute.required,
            "datatype_description": attribute.datatype_description or None,
            "order": attribute.order,
            "description": attribute.description,
        }
        if attribute.datatype in LIST_TYPES:
            item["values"] = [{"key": value.key, "name": value.name} for value in attribute.values.all()]
        attributes.append(item)
    return {"service_code": str(category.pk), "attributes": attributes}
