"""The demo's editor does what README says: builds notices and forms and publishes them."""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse

from notices.models import NoticePage

README = Path(__file__).resolve().parent.parent.parent / "README.md"


def test_readme_says_the_editor_publishes():
    row = next(line for line in README.read_text().splitlines() if line.startswith("| `editor` |"))
    assert "publishes notices and forms" in row


def test_the_demo_editor_publishes_notices_and_forms(client, db, settings):
    settings.DEBUG = True
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    editor = get_user_model().objects.get(username="editor")
    notice = NoticePage.objects.get(slug="zhejiang-demo-open-round")
    for page in [notice.get_parent(), notice, *notice.get_children()]:
        assert page.permissions_for_user(editor).can_publish(), page.title
    # The notices' tree only, not the home page.
    assert not notice.get_parent().get_parent().permissions_for_user(editor).can_publish()
    # The admin offers them Publish, beside submitting to the workflow.
    client.force_login(editor)
    for page in [notice, notice.get_children().first()]:
        edit = client.get(reverse("wagtailadmin_pages:edit", args=[page.pk]))
        assert 'name="action-publish"' in edit.content.decode()
    # Running the loader again gives nothing twice.
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert editor.groups.get().page_permissions.filter(permission__codename="publish_page").count() == 1
