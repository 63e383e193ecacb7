"""Copying a notice, with its forms, to next year's round.

Bureaus publish the same programme every year with new dates. Editors copy
last year's notice in one step and check the draft: titles and slugs move to
the next year, every date moves by one year, the copy stays unpublished, and
nothing that applicants or reviewers produced (form versions, submissions,
drafts) comes along, since those hang off the page by plain foreign keys.
"""

import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

YEAR_RE = re.compile(r"(?<!\d)((?:19|20)\d\d)(?!\d)")
NOTICE_DATE_FIELDS = ("issue_date", "print_date", "deadline")
FORM_DATE_FIELDS = ("opens_at", "closes_at")


def next_year_text(text):
    """Return ``text`` with every year (19xx/20xx) moved on by one: 2024年 → 2025年."""
    return YEAR_RE.sub(lambda m: str(int(m.group(1)) + 1), text or "")


def next_year_date(value):
    """Return a date or datetime one year later; 29 February becomes 28 February."""
    if value is None:
        return None
    try:
        return value.replace(year=value.year + 1)
    except ValueError:
        return value.replace(year=value.year + 1, day=28)


@dataclass
class CopyPlan:
    """What a copy will be called and when it will close, shown before copying."""

    title: str
    slug: str
    deadline: object
    forms: list

    def conflicts(self, notice):
        """Return a reason the copy cannot be made, or None."""
        if notice.get_parent().get_children().filter(slug=self.slug).exists():
            message = _("A page with the address “%(slug)s” already exists next to this notice.")
            return message % {"slug": self.slug}
        return None


def plan_copy(notice):
    """Return the ``CopyPlan`` for copying ``notice`` to next year."""
    slug = next_year_text(notice.slug)
    if slug == notice.slug:
        slug = f"{notice.slug}-next"
    forms = [(form.title, next_year_text(form.title)) for form in notice.get_children().specific()]
    return CopyPlan(next_year_text(notice.title), slug, next_year_date(notice.deadline), forms)


def _move_on(page, fields, retitle=True):
    if retitle:
        page.title = next_year_text(page.title)
        page.draft_title = page.title
    for name in fields:
        if hasattr(page, name):
            setattr(page, name, next_year_date(getattr(page, name)))


@transaction.atomic
def copy_notice_to_next_year(notice, user=None):
    """Copy ``notice`` and its form pages to next year, unpublished; return the new notice."""
    plan = plan_copy(notice)
    problem = plan.conflicts(notice)
    if problem:
        raise ValidationError(problem)
    copy = notice.copy(
        recursive=True,
        keep_live=False,
        copy_revisions=False,
        user=user,
        update_attrs={"slug": plan.slug, "title": plan.title, "draft_title": plan.title},
    ).specific
    _move_on(copy, NOTICE_DATE_FIELDS, retitle=False)  # the title came with update_attrs
    copy.previous_round = notice  # so that the two years' forms can be compared
    copy.save()
    copy.save_revision(user=user, log_action=False)
    originals = {form.slug: form for form in notice.get_children()}  # children keep their slugs
    for child in copy.get_children().specific():
        _move_on(child, FORM_DATE_FIELDS)
        if hasattr(child, "previous_form_id") and child.slug in originals:
            child.previous_form_id = originals[child.slug].pk
        child.save()
        child.save_revision(user=user, log_action=False)
    return copy
