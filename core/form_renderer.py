"""The form renderer (settings.FORM_RENDERER): Django's own, except that the widgets every
page draws many times — inputs, selects and their options, check boxes and radio buttons,
text areas, a field's error list — are written in Python, each the same string (escaped
the same way) as Django's template for it, instead of one template include per
``<option>``.

Why (issue 21): the inbox draws a ``<select>`` of every category, agency and kelurahan,
the report page its action forms' selects and the agencies' check boxes; through the
template engine that was about 40% of an inbox page. tests/test_form_renderer.py renders
every form of the workspace and the portal both ways and compares them character for
character. Any template not listed in ``WRITERS`` (a project's own widget template, the
admin's, a date split in three selects) still goes through the templates.
"""

from django.forms.renderers import DjangoTemplates
from django.template.base import render_value_in_context
from django.template.context import Context
from django.utils.html import conditional_escape
from django.utils.safestring import SafeData

# render_value_in_context's view of a template's context: autoescape on, the settings'
# localisation and time zone (what ``{{ value }}`` in Django's widget templates does).
_CONTEXT = Context(autoescape=True)

WIDGETS = "django/forms/widgets/"


def _text(value):
    """``{{ value }}``."""
    return render_value_in_context(value, _CONTEXT)


def _formatted(value):
    """``{{ value|stringformat:'s' }}``: the value's str, escaped unless it was safe."""
    try:
        text = str(value)
    except (ValueError, TypeError):
        return ""
    return text if isinstance(value, SafeData) else conditional_escape(text)


def _attrs(attrs):
    """attrs.html."""
    return "".join(
        f" {_text(name)}" if value is True else f' {_text(name)}="{_formatted(value)}"'
        for name, value in attrs.items()
        if value is not False
    )


def _input(widget):
    """input.html (text, hidden, date, checkbox, … include it)."""
    value = f' value="{_formatted(widget["value"])}"' if widget["value"] is not None else ""
    return f'<input type="{_text(widget["type"])}" name="{_text(widget["name"])}"{value}{_attrs(widget["attrs"])}>\n'


def _input_option(widget):
    """input_option.html (a check box or radio button with its label around it)."""
    if not widget.get("wrap_label"):
        return _input(widget) + "\n"
    label_for = widget["attrs"].get("id")
    label_for = f' for="{_text(label_for)}"' if label_for else ""
    return f"<label{label_for}>{_input(widget)} {_text(widget['label'])}</label>\n"


def _select_option(widget):
    """select_option.html."""
    return f'<option value="{_formatted(widget["value"])}"{_attrs(widget["attrs"])}>{_text(widget["label"])}</option>\n'


def _option(option, renderer):
    """``{% include option.template_name with widget=option %}``."""
    write = OPTION_WRITERS.get(option["template_name"])
    if write is None:
        return renderer.get_template(option["template_name"]).render({"widget": option})
    return write(option)


def _select(widget, renderer):
    """select.html."""
    parts = [f'<select name="{_text(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group_name, group_choices, _index in widget["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{_text(group_name)}">')
        for option in group_choices:
            parts.append("\n  ")
            parts.append(_option(option, renderer))
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>\n")
    return "".join(parts)


def _multiple_input(widget, renderer):
    """multiple_input.html (checkbox_select.html and radio.html include it)."""
    id_, class_ = widget["attrs"].get("id"), widget["attrs"].get("class")
    parts = ["<div", f' id="{_text(id_)}"' if id_ else "", f' class="{_text(class_)}"' if class_ else "", ">"]
    for group, options, _index in widget["optgroups"]:
        if group:
            parts.append(f"\n  <div><label>{_text(group)}</label>")
        for option in options:
            parts.append("<div>\n    ")
            parts.append(_option(option, renderer))
            parts.append("</div>")
        if group:
            parts.append("\n  </div>")
    parts.append("\n</div>\n")
    return "".join(parts)


def _textarea(widget):
    """textarea.html."""
    value = _text(widget["value"]) if widget["value"] else ""
    return f'<textarea name="{_text(widget["name"])}"{_attrs(widget["attrs"])}>\n{value}</textarea>\n'


def _errors(context, renderer):
    """errors/list/ul.html (default.html includes it): an ErrorList's context."""
    return _error_list(context["errors"], context["error_class"])


def _error_list(errors, error_class):
    if not errors:
        return ""
    field_id = getattr(errors, "field_id", None)
    id_ = f' id="{_text(field_id)}_error"' if field_id else ""
    items = "".join(f"<li>{_text(error)}</li>" for error in errors)
    return f'<ul class="{_text(error_class)}"{id_}>{items}</ul>'


# The widget templates that are one input.html.
INPUTS = [
    "checkbox",
    "color",
    "date",
    "datetime",
    "email",
    "file",
    "hidden",
    "input",
    "number",
    "password",
    "search",
    "tel",
    "text",
    "time",
    "url",
]
OPTION_WRITERS = {
    WIDGETS + "select_option.html": _select_option,
    WIDGETS + "checkbox_option.html": lambda widget: _input_option(widget) + "\n",
    WIDGETS + "radio_option.html": lambda widget: _input_option(widget) + "\n",
}
# Template name → a function of (the template's context, the renderer) giving its output.
WRITERS = {
    **{f"{WIDGETS}{name}.html": lambda context, renderer: _input(context["widget"]) for name in INPUTS},
    **{name: lambda context, renderer, write=write: write(context["widget"]) for name, write in OPTION_WRITERS.items()},
    WIDGETS + "select.html": lambda context, renderer: _select(context["widget"], renderer),
    WIDGETS + "checkbox_select.html": lambda context, renderer: _multiple_input(context["widget"], renderer),
    WIDGETS + "radio.html": lambda context, renderer: _multiple_input(context["widget"], renderer),
    WIDGETS + "multiple_input.html": lambda context, renderer: _multiple_input(context["widget"], renderer),
    WIDGETS + "textarea.html": lambda context, renderer: _textarea(context["widget"]),
    "django/forms/errors/list/default.html": _errors,
    "django/forms/errors/list/ul.html": _errors,
}


class WidgetsInPython(DjangoTemplates):
    """Django's default renderer with the widgets of ``WRITERS`` written in Python."""

    def render(self, template_name, context, request=None):
        write = WRITERS.get(template_name)
        if write is None:
            return super().render(template_name, context, request=request)
        # BaseRenderer.render strips the template's output too.
        return write(context, self).strip()
