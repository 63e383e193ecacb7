"""Every page answers with a Content-Security-Policy, and the project's own markup needs no inline allowance.

The public site runs scripts and styles from its own origin only, so markup injected into a page
(a crafted answer, a notice's text) cannot run or restyle anything. Wagtail's admin still writes a
few inline scripts of its own, so the admin gets a narrower exception; what the project adds there
(the desk, the form builder, the dashboard) is held to the public rule.
"""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.urls import reverse

from forms_app.applications.models import SubmissionStatus
from forms_app.review.workflow import transition
from home.demo import load_demo
from site_config.content_security import site_policy
from tests.factories import ApplicantFactory
from tests.html import soup
from tests.review_helpers import build_world
from tests.wizard_helpers import Applicant, three_step_form

ROOT = Path(__file__).resolve().parents[2]
INDEX = "shenbao_applications_submission_modeladmin_index"
INSPECT = "shenbao_applications_submission_modeladmin_inspect"
# A template of ours is served as a web page unless it is an e-mail (PDFs are drawn without templates).
NOT_PAGES = re.compile(r"/(emails?|pdf)/|_email\.|\.txt$")
# Markup that runs or styles inline: a script without src, an event handler, a style element or attribute.
INLINE_IN_SOURCE = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>|<style\b|\sstyle=|\son[a-z]+=", re.IGNORECASE)


def directives(header):
    """A policy header as ``{directive: [sources]}``."""
    parsed = {}
    for part in header.split(";"):
        words = part.split()
        if words:
            parsed[words[0]] = words[1:]
    return parsed


def policy_of(response):
    assert "Content-Security-Policy" in response, (response.request["PATH_INFO"], dict(response.headers))
    return directives(response["Content-Security-Policy"])


def inline_markup(response):
    """Inline scripts (JSON data blocks aside), event handlers, style elements and style attributes."""
    page = soup(response)
    found = []
    for script in page.find_all("script"):
        if not script.get("src") and script.get("type") != "application/json":
            found.append(str(script)[:200])
    found += [str(tag)[:200] for tag in page.find_all("style")]
    for tag in page.find_all(True):
        found += [f"<{tag.name} {name}=…>" for name in tag.attrs if name == "style" or name.startswith("on")]
    return found


@pytest.fixture(autouse=True)
def english(settings):
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def world(notice_index):
    return build_world(notice_index)


@pytest.fixture
def root_client(db, client):
    client.force_login(get_user_model().objects.create_superuser("root", "root@example.cn", "pass-2024-root"))
    return client


def applicant_pages(client, notice_index):
    """Path -> response of every page an applicant goes through, from the notice to the done page."""
    form = three_step_form(notice_index)
    notice = form.get_parent()
    pages = {
        "/": client.get("/"),
        "notice list": client.get(notice.get_parent().url),
        "notice": client.get(notice.url),
        "sign in": client.get(reverse("shenbao_accounts:login")),
        "registration": client.get(reverse("shenbao_accounts:register")),
        "resend verification": client.get(reverse("shenbao_accounts:resend_verification")),
        "verify a printout": client.get(reverse("shenbao:verify_form")),
        "missing page": client.get("/notices/no-such-notice/"),
    }
    # An anonymous applicant is given a private link to come back with.
    anonymous = Applicant(client, three_step_form(notice_index, login_required=False))
    pages["anonymous step with its private link"] = client.get(anonymous.step_url(anonymous.start(), "basic"))
    client.force_login(ApplicantFactory())
    applicant = Applicant(client, form)
    pages["form page"] = client.get(form.url)
    draft_id = applicant.start()
    pages["first step"] = client.get(applicant.step_url(draft_id, "basic"))
    # A step sent back with its errors shows the messages beside the fields.
    pages["step with errors"] = applicant.post_step(draft_id, "basic", {"basic-bank_code": "1"})
    applicant.fill_all(draft_id)
    pages["step with a table and a file"] = client.get(applicant.step_url(draft_id, "plan"))
    pages["check page"] = client.get(applicant.check_url(draft_id))
    pages["done page"] = applicant.submit(draft_id)
    if pages["done page"].status_code == 302:
        pages["done page"] = client.get(pages["done page"]["Location"])
    pages["my applications"] = client.get(reverse("shenbao:my_applications"))
    return pages


def admin_pages(client, world):
    submission = world.subs["xihu"]
    return {
        "dashboard": client.get(reverse("wagtailadmin_home")),
        "desk list": client.get(reverse(INDEX)),
        "desk detail": client.get(reverse(INSPECT, args=[submission.pk])),
        "form builder": client.get(reverse("wagtailadmin_pages:edit", args=[world.page.pk])),
        "notice editor": client.get(reverse("wagtailadmin_pages:edit", args=[world.page.get_parent().pk])),
    }


# --- the policy ----------------------------------------------------------------------------------


def test_public_pages_allow_scripts_and_styles_from_the_site_only(client, notice_index):
    for name, response in applicant_pages(client, notice_index).items():
        assert response.status_code in (200, 404, 422), (name, response.status_code)
        policy = policy_of(response)
        assert policy["default-src"] == ["'self'"], name
        assert policy["script-src"] == ["'self'"], (name, policy["script-src"])
        assert policy["style-src"] == ["'self'"], (name, policy["style-src"])
        assert set(policy["img-src"]) == {"'self'", "data:"}, name
        assert policy["object-src"] == ["'none'"], name
        assert policy["base-uri"] == ["'self'"], name
        assert policy["form-action"] == ["'self'"], name
        assert policy["frame-ancestors"] == ["'none'"], name


def test_the_admin_gets_only_the_exception_wagtail_needs(root_client, world):
    for name, response in admin_pages(root_client, world).items():
        assert response.status_code == 200, name
        policy = policy_of(response)
        assert "'unsafe-eval'" not in policy["script-src"], name
        assert policy["object-src"] == ["'none'"], name
        assert policy["base-uri"] == ["'self'"], name
        assert policy["form-action"] == ["'self'"], name
        # Wagtail's preview panel shows the page in a frame of the admin itself, and no other site may.
        assert policy["frame-ancestors"] == ["'self'"], name
        assert "'self'" in policy["script-src"] and "'self'" in policy["style-src"], name
    # The exception stops at the admin's door: its sign-in page is outside it, the public pages too.
    root_client.logout()
    login = root_client.get(reverse("wagtailadmin_login"))
    assert "'unsafe-inline'" not in policy_of(login)["script-src"]
    assert "'unsafe-inline'" not in policy_of(root_client.get("/"))["script-src"]


def test_a_report_only_switch_and_extra_sources_for_a_cdn():
    enforced, report_only = site_policy(report_only=False, extra_sources=["https://cdn.example.cn"])
    assert report_only is None
    for directive in ("script-src", "style-src", "img-src", "font-src"):
        assert enforced["DIRECTIVES"][directive][-1] == "https://cdn.example.cn", directive
    assert "https://cdn.example.cn" not in enforced["DIRECTIVES"]["default-src"]
    enforced, report_only = site_policy(report_only=True, report_uri="/csp-reports/")
    assert enforced is None
    assert report_only["DIRECTIVES"]["script-src"] == ["'self'"]
    assert report_only["DIRECTIVES"]["report-uri"] == "/csp-reports/"


def test_report_only_sends_the_policy_under_the_report_only_header(client, site_tree, settings):
    settings.CONTENT_SECURITY_POLICY, settings.CONTENT_SECURITY_POLICY_REPORT_ONLY = site_policy(
        report_only=True
    )
    response = client.get("/")
    assert "Content-Security-Policy" not in response
    assert directives(response["Content-Security-Policy-Report-Only"])["script-src"] == ["'self'"]


# --- the markup ----------------------------------------------------------------------------------


def test_rendered_public_pages_have_no_inline_script_or_style(client, notice_index):
    for name, response in applicant_pages(client, notice_index).items():
        assert inline_markup(response) == [], name


def test_every_demo_form_renders_without_inline_script_or_style(client, site_tree):
    """The demo's forms use every kind of field: addresses, tables, matrices, uploads, "other" boxes."""
    load_demo(with_accounts=False, log=lambda line: None)
    client.force_login(ApplicantFactory())
    notices = [link["href"] for link in soup(client.get("/notices/")).select(".notice-card__title a")]
    checked = 0
    for notice_url in notices:
        for link in soup(client.get(notice_url)).select("a[href]"):
            href = link["href"]
            if href.startswith(notice_url) and href != notice_url and re.search(r"/form-\d+/$", href):
                response = client.get(href)
                assert response.status_code == 200, href
                assert inline_markup(response) == [], href
                checked += 1
    assert checked >= 6


def test_our_admin_pages_add_no_inline_script_or_style(root_client, world):
    """The desk and the dashboard have none at all; Wagtail's editors only Wagtail's own set-up scripts."""
    pages = admin_pages(root_client, world)
    for name in ("dashboard", "desk list", "desk detail"):
        assert inline_markup(pages[name]) == [], name
    for name in ("form builder", "notice editor"):
        assert [item for item in inline_markup(pages[name]) if not wagtails_own(item)] == [], name


def test_the_dashboard_chart_draws_its_bars_without_style_attributes(root_client, world):
    """Each region's bar is an SVG whose rectangles are placed by attributes, which no policy blocks."""
    transition([world.subs["xihu"].pk], SubmissionStatus.UNDER_REVIEW, world.reviewers["xihu"])
    page = soup(root_client.get(reverse("wagtailadmin_home")))
    bars = {}
    for row in page.select(".review-chart__row"):
        svg = row.select_one(".review-chart__bars")
        assert svg.name == "svg"
        bars[row.select_one(".review-chart__label").get_text()] = [
            (rect["x"], rect["width"], rect["class"][-1], rect.title.get_text())
            for rect in svg.select("rect")
        ]
    # 杭州市 has the most (one submitted, one under review) and fills the chart; 宁波市 has half as many.
    assert bars == {
        "杭州市": [
            ("0", "50", "review-chart__bar--submitted", "Submitted: 1"),
            ("50", "50", "review-chart__bar--under_review", "Under review: 1"),
        ],
        "宁波市": [("0", "50", "review-chart__bar--submitted", "Submitted: 1")],
    }


def wagtails_own(item):
    """Inline code that Wagtail 8's own templates write (its panels and date widgets), not ours."""
    return bool(
        re.match(r"<script>\s*(\(function\(\)|init(Date|Time|DateTime)Chooser\(|new \w+Chooser\()", item)
    )


def test_no_template_of_ours_served_as_a_page_has_inline_script_or_style():
    """A source check catches what the rendered pages above may not reach (a message, an error state)."""
    folders = [ROOT / "templates", ROOT / "home", ROOT / "notices", *ROOT.glob("forms_app/*/templates")]
    offenders = []
    for folder in folders:
        for template in folder.rglob("*.html"):
            relative = template.relative_to(ROOT).as_posix()
            if NOT_PAGES.search("/" + relative):
                continue
            for match in INLINE_IN_SOURCE.finditer(template.read_text()):
                offenders.append(f"{relative}: {match.group(0)}")
    assert offenders == []


def test_the_policy_middleware_is_installed():
    assert "site_config.content_security_middleware.ContentSecurityPolicyMiddleware" in settings.MIDDLEWARE
