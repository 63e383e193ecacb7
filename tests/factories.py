"""Factories for test data, built through Wagtail's page API like real content."""

from datetime import date, timedelta

import factory
from django.utils import timezone
from wagtail.documents.models import Document

from forms_app.accounts.factories import credit_code
from notices.models import NoticeAttachment, NoticeContact, NoticePage


class NoticePageFactory(factory.Factory):
    """An unsaved ``NoticePage``; pass ``parent=`` to add and publish it."""

    class Meta:
        model = NoticePage

    title = factory.Sequence(lambda n: f"关于组织申报第{n}批专家服务项目的通知")
    slug = factory.Sequence(lambda n: f"notice-{n}")
    issuing_authority = "杭州市人力资源和社会保障局"
    issue_date = factory.LazyFunction(date.today)
    recipients = "各区、县（市）人力资源和社会保障局："
    deadline = factory.LazyFunction(lambda: timezone.now() + timedelta(days=30))
    summary = "测试用通知摘要。"
    body = factory.LazyFunction(
        lambda: [
            {"type": "heading", "value": {"text": "一、申报范围", "level": "section"}},
            {"type": "paragraph", "value": "<p>符合条件的单位均可申报。</p>"},
        ]
    )

    @classmethod
    def _create(cls, model_class, *args, parent=None, **kwargs):
        page = model_class(*args, **kwargs)
        if parent is None:
            raise ValueError("NoticePageFactory.create() needs parent=<NoticeIndexPage>")
        parent.add_child(instance=page)
        page.save_revision().publish()
        page.refresh_from_db()
        return page


class NoticeContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = NoticeContact

    name = "郑坤"
    organisation = "省专家与留学人员服务中心"
    office_phone = "0571-88394838"
    mobile = "13429129088"
    email = "zjszjzx@example.com"


class DocumentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Document

    title = factory.Sequence(lambda n: f"附件{n}")
    file = factory.django.FileField(filename="form.docx", data=b"PK\x03\x04 demo")


class NoticeAttachmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = NoticeAttachment

    label = "附件1"
    title = "2024年专家服务基层示范团申报表"
    document = factory.SubFactory(DocumentFactory)


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "shenbao_builder.Region"
        django_get_or_create = ("code",)

    name = factory.Sequence(lambda n: f"测试区{n}")
    code = factory.Sequence(lambda n: f"{330100 + n}")
    level = "county"


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "shenbao_accounts.Organisation"

    name = factory.Sequence(lambda n: f"测试单位{n}")
    credit_code = factory.Sequence(credit_code)
    region = factory.SubFactory(RegionFactory)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "auth.User"
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"applicant{n}@example.cn")
    email = factory.LazyAttribute(lambda u: u.username)
    password = factory.django.Password("applicant-pass-2024")


class ApplicantFactory(UserFactory):
    """A signed-up applicant with an organisation (pass ``organisation=`` to share one)."""

    class Meta:
        skip_postgeneration_save = True

    @factory.post_generation
    def organisation(self, create, extracted, **kwargs):
        from forms_app.accounts.models import ApplicantProfile

        if create:
            organisation = extracted or OrganisationFactory()
            # An approved member; the unit's first account is its administrator, as at registration.
            first = not ApplicantProfile.objects.filter(
                organisation=organisation, is_administrator=True
            ).exists()
            ApplicantProfile.objects.create(user=self, organisation=organisation, is_administrator=first)
