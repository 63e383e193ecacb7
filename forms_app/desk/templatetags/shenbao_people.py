"""The review pages' filter that names a person (``{{ user|person }}``), as ``desk.people`` does."""

from django import template

from forms_app.desk.people import NOBODY, person_name

register = template.Library()


@register.filter
def person(user, empty=NOBODY):
    """``user``'s full name, else their user name; ``empty`` (a dash by default) for nobody."""
    return person_name(user, empty)
