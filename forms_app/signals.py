"""Freeze a form version whenever a form page is published with a changed form."""

from wagtail.signals import page_published


def record_form_version(sender, instance, revision=None, **kwargs):
    from .models import FormVersion

    FormVersion.objects.record(instance, revision=revision)


def connect():
    from .models import ApplicationFormPage

    page_published.connect(
        record_form_version, sender=ApplicationFormPage, dispatch_uid="forms_app.record_version"
    )
