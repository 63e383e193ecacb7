"""Form pages made in code, as an editor makes them in the admin: added under a notice and published.

For the demo content, the tests, the benchmarks and a host site's own fixtures; the steps come
from ``forms_app.builder.factories``.
"""

from forms_app.applications.models import ApplicationFormPage


def publish_form_page(parent, steps, title="申报表", slug="form", **fields):
    """Add an application form with ``steps`` under ``parent`` (a notice page), publish it and return it."""
    page = ApplicationFormPage(title=title, slug=slug, steps=steps, **fields)
    parent.add_child(instance=page)
    page.save_revision().publish()
    page.refresh_from_db()
    return page
