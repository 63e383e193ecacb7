"""Word copies of submissions: same sections as the PDF, read back with python-docx, under the access rule."""

from io import BytesIO

import pytest
from django.urls import reverse
from docx import Document

from forms_app.printing.word import submission_docx
from forms_app.review.models import AuditLogEntry
from tests.review_helpers import build_world, make_reviewer
from tests.samples import KNOWN_ID


@pytest.fixture
def world(notice_index):
    return build_world(notice_index)


def docx_text(content):
    """Return every paragraph and table cell of a .docx, nested tables included."""
    document = Document(BytesIO(content))
    texts = [p.text for p in document.paragraphs]

    def walk(tables):
        for table in tables:
            for row in table.rows:
                for cell in row.cells:
                    texts.extend(p.text for p in cell.paragraphs)
                    walk(cell.tables)

    walk(document.tables)
    texts.extend(p.text for p in document.sections[0].footer.paragraphs)
    return "\n".join(texts)


def test_word_copy_has_the_layout_and_answers(world):
    text = docx_text(submission_docx(world.subs["xihu"]))
    expected = ["附件1", "测试申报表", "基本信息", "项目名称", "西湖区项目", "☑上半年", "□下半年"]
    version = world.subs["xihu"].versions.get()
    expected += ["110***********002X", "活动次数", "杭州市", "合计", world.subs["xihu"].reference]
    expected += [version.fingerprint, f"/applications/verify/{world.subs['xihu'].reference}/1/"]
    for words in expected:
        assert words in text, words
    assert KNOWN_ID not in text


def test_word_urls_follow_the_access_rule(client, world):
    target = world.subs["xihu"]
    url = reverse("shenbao_review_docx", args=[target.pk])
    client.force_login(world.reviewers["haishu"])
    assert client.get(url).status_code == 404
    client.force_login(world.reviewers["xihu"])
    response = client.get(url, {"personal": "1"})
    assert response.status_code == 200 and response["Content-Disposition"].startswith("attachment")
    assert KNOWN_ID not in docx_text(response.content)
    trusted = make_reviewer("trusted", world.regions["xihu"], personal=True)
    client.force_login(trusted)
    assert KNOWN_ID in docx_text(client.get(url, {"personal": "1"}).content)
    assert AuditLogEntry.objects.filter(user=trusted, submission=target, unmasked=True).count() == 1
    own = target.page.url + target.page.reverse_subpage("draft_docx", args=[target.draft.pk])
    client.force_login(target.user)
    assert KNOWN_ID in docx_text(client.get(own).content)
    client.force_login(world.subs["haishu"].user)
    assert client.get(own).status_code == 404
