"""The site's URLs, plus the bare form of the baseline (before Wagtail's catch-all)."""

from django.urls import path

from bench.views import bare_form
from site_config.urls import urlpatterns as site_urlpatterns

urlpatterns = [path("bench/bare-form/", bare_form, name="bench_bare_form"), *site_urlpatterns]
