"""The review list's rows, written directly, are the cells modeladmin's generic helpers would make."""

import pytest
from django.forms.utils import flatatt
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from wagtail_modeladmin.templatetags.modeladmin_tags import items_for_result

from forms_app.applications.models import SubmissionStatus
from tests.review_helpers import build_world

pytestmark = pytest.mark.django_db
INDEX = "shenbao_applications_submission_modeladmin_index"


def modeladmins_rows(view, object_list):
    """The rows as modeladmin's own cells make them, the row's buttons inside the linked cell."""
    model_admin = view.model_admin
    linked = list(view.list_display).index(model_admin.get_list_display_add_buttons(view.request))
    rows = []
    for index, obj in enumerate(object_list):
        attrs = model_admin.get_extra_attrs_for_row(obj, {})
        attrs["data-object-pk"] = obj.pk
        attrs["class"] = "odd" if index % 2 == 0 else "even"
        cells = list(items_for_result(view, obj, view.request))
        buttons = format_html_join(
            "",
            '<li><a href="{}" class="{}" title="{}">{}</a></li>',
            ((b["url"], b["classname"], b["title"], b["label"]) for b in view.get_buttons_for_obj(obj)),
        )
        if buttons:
            opened = mark_safe(cells[linked].removesuffix("</td>"))  # noqa: S308
            cells[linked] = format_html('{}<ul class="actions">{}</ul></td>', opened, buttons)
        rows.append(format_html("<tr{}>{}</tr>", flatatt(attrs), format_html_join("", "{}", zip(cells))))
    return rows


@pytest.mark.parametrize("who", ["admin", "hz"])
def test_every_row_reads_as_modeladmins_cells(notice_index, client, admin_user, who):
    world = build_world(notice_index)
    # Rows with the desk elsewhere, paper copies and an empty organisation column.
    moved = world.subs["xihu"]
    moved.stage_region = world.regions["hz"]
    moved.status = SubmissionStatus.RECOMMENDED
    moved.paper_copies = 2
    moved.save()
    world.subs["haishu"].organisation = None
    world.subs["haishu"].save()
    client.force_login(admin_user if who == "admin" else world.reviewers[who])
    response = client.get(reverse(INDEX))
    assert response.status_code == 200
    view = response.context["view"]
    rows = response.context["result_rows"]
    assert rows, "the list shows the submissions"
    assert [str(r) for r in rows] == [str(r) for r in modeladmins_rows(view, response.context["object_list"])]
    for submission in world.subs.values():
        if any(f'data-object-pk="{submission.pk}"' in str(r) for r in rows):
            assert submission.reference in response.content.decode()
