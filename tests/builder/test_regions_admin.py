"""Editors maintain the region list in the admin; the hierarchy is checked."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from forms_app.builder.models import Region
from tests.html import soup


@pytest.fixture
def admin_client(client, db):
    client.force_login(get_user_model().objects.create_superuser("boss", "boss@example.com", "pw"))
    return client


def test_editor_adds_a_city_under_a_province(admin_client):
    zj = Region.objects.create(code="330000", name="浙江省", level="province")
    url = reverse("wagtailsnippets_shenbao_builder_region:add")
    response = admin_client.post(
        url, {"name": "杭州市", "code": "330100", "level": "city", "parent": zj.pk, "sort_order": 1}
    )
    assert response.status_code == 302
    assert Region.objects.get(code="330100").parent == zj
    listing = admin_client.get(reverse("wagtailsnippets_shenbao_builder_region:list"))
    assert "杭州市" in listing.content.decode()


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"name": "西湖区", "code": "330106", "level": "province"}, "parent"),  # a province under a province
        ({"name": "浙江省", "code": "330000", "level": "province"}, "code"),  # duplicate code
    ],
)
def test_bad_regions_are_refused_next_to_the_field(admin_client, data, field):
    zj = Region.objects.create(code="330000", name="浙江省", level="province")
    response = admin_client.post(
        reverse("wagtailsnippets_shenbao_builder_region:add"), {**data, "parent": zj.pk, "sort_order": 0}
    )
    assert response.status_code == 200
    message = soup(response).select_one(f'[data-contentpath="{field}"] .error-message')
    assert message is not None and message.get_text(strip=True)
    assert Region.objects.count() == 1


def test_a_region_cannot_be_part_of_itself(admin_client):
    zj = Region.objects.create(code="330000", name="浙江省", level="province")
    hz = Region.objects.create(code="330100", name="杭州市", level="city", parent=zj)
    zj.parent, zj.level = hz, "county"
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        zj.full_clean()


def test_non_staff_cannot_reach_the_region_list(client, db):
    user = get_user_model().objects.create_user("applicant", "a@example.com", "pw")
    client.force_login(user)
    response = client.get(reverse("wagtailsnippets_shenbao_builder_region:list"))
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
