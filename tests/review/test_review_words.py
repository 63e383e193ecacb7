"""The review pages' words: modifications counted from the first change, people by name, the desk a
submission waits at, and words that mean two things kept apart by their context."""

import re
from pathlib import Path

import pytest
from django.urls import reverse

from forms_app.applications.models import SubmissionStatus
from forms_app.applications.submitting import submit_draft
from forms_app.desk.templatetags.shenbao_people import person
from forms_app.exchange.models import ExportJob
from forms_app.review.access import ReviewerAccess
from forms_app.review.workflow import transition
from forms_app.rounds.batches import close_batch
from tests.html import soup
from tests.review_helpers import answers, build_world

INDEX = "shenbao_applications_submission_modeladmin_index"
INSPECT = "shenbao_applications_submission_modeladmin_inspect"
BATCH = "shenbao_rounds_recommendationbatch_modeladmin_inspect"
ROOT = Path(__file__).resolve().parent.parent.parent
S = SubmissionStatus


@pytest.fixture
def world(notice_index, settings):
    settings.LANGUAGE_CODE = "en"
    world = build_world(notice_index, batch_recommendations=True, summary_columns=[])
    xihu = world.reviewers["xihu"]
    xihu.first_name, xihu.last_name = "李小红", ""
    xihu.save()
    return world


def words(node):
    return " ".join(node.get_text(" ").split())


def detail(client, world, submission, key="xihu"):
    client.force_login(world.reviewers[key])
    return soup(client.get(reverse(INSPECT, args=[submission.pk])))


def history(page):
    return [words(row) for row in page.select(".review-history tbody tr")]


def test_a_first_submission_has_no_modification_and_its_history_starts_with_it(client, world):
    submission = world.subs["xihu"]
    page = detail(client, world, submission)
    assert words(page.select_one("[data-testid=modifications]")) == "none"
    rows = history(page)
    assert len(rows) == 1 and "Submitted" in rows[0] and "modification" not in rows[0]


def test_a_resubmission_is_the_first_modification(client, world):
    submission = world.subs["xihu"]
    transition([submission.pk], S.RETURNED, world.reviewers["xihu"], comment="请补充")
    submission, _created = submit_draft(submission.draft, answers("西湖区项目（修改）"))
    assert submission.revision == 2 and submission.modifications == 1
    page = detail(client, world, submission)
    assert words(page.select_one("[data-testid=modifications]")) == "1"
    rows = history(page)
    assert "modification" not in rows[0] and "Returned" in rows[1]
    assert rows[2].endswith("Returned for revision → Submitted (modification 1)")


def test_people_are_named_by_their_full_name(client, world):
    submission = world.subs["xihu"]
    reviewer = world.reviewers["xihu"]
    transition([submission.pk], S.RECOMMENDED, reviewer)
    rows = history(detail(client, world, submission))
    assert "李小红" in rows[1] and reviewer.username not in rows[1]
    batch = close_batch(world.page, world.regions["xihu"], reviewer, ReviewerAccess(reviewer))
    client.force_login(reviewer)
    page = soup(client.get(reverse(BATCH, args=[batch.pk])))
    assert "李小红" in words(page) and reviewer.username not in words(page.select_one(".review-facts"))
    ExportJob.objects.create(user=reviewer, page=world.page, format="xlsx")
    exports = soup(client.get(reverse("shenbao_exchange_exportjob_modeladmin_index")))
    table = words(exports.select_one("table tbody"))
    assert "李小红" in table and reviewer.username not in table
    # Without a full name, the user name; nobody is a dash.
    assert person(world.reviewers["hz"]) == world.reviewers["hz"].username and person(None) == "—"


def test_the_list_says_which_desk_a_submission_waits_at(client, world, settings):
    submission = world.subs["xihu"]
    transition([submission.pk], S.RECOMMENDED, world.reviewers["xihu"])
    xihu = world.reviewers["xihu"]
    close_batch(world.page, world.regions["xihu"], xihu, ReviewerAccess(xihu))
    client.force_login(world.reviewers["hz"])
    settings.LANGUAGE_CODE = "zh-hans"
    cells = [words(small.parent) for small in soup(client.get(reverse(INDEX))).select("td small")]
    assert cells == ["审核通过并推荐 在杭州市审核"]


AMBIGUOUS = ["Status", "Apply", "at"]  # also Wagtail's and Django's, which a bare msgid would override
WORDS = "|".join(AMBIGUOUS)
BARE = re.compile(
    r"(?:\{%\s*(?:translate|trans)\s+|\b(?:_|gettext|gettext_lazy|gettext_noop)\()"
    + rf"[\"'](?:{WORDS})[\"']\s*(?:%\}}|\))"
)


# A bare msgid means what it means in Wagtail's catalogue (状态), as the notices' status filter does.
PLAIN = {'notices/forms.py: _("Status")'}


def test_words_with_two_meanings_carry_a_context():
    found = []
    for package in ("forms_app", "notices"):
        for path in (ROOT / package).rglob("*"):
            if path.suffix in {".py", ".html", ".txt"} and "migrations" not in path.parts:
                found += [f"{path.relative_to(ROOT)}: {m.group(0)}" for m in BARE.finditer(path.read_text())]
    assert [where for where in found if where not in PLAIN] == []
