"""The condition of a field or step as the public form's script reads it, from a data attribute."""

import json

from django import template

from forms_app.builder.conditions import normalise

register = template.Library()


@register.filter
def condition_json(condition):
    """``{"join", "rules"}`` as JSON for ``data-condition`` (either stored shape); "" for none."""
    condition = normalise(condition)
    return json.dumps(condition, ensure_ascii=False) if condition else ""
