"""Stamped-copy downloads and the public verification of printouts."""

from django.urls import path

from forms_app.printing import views

urlpatterns = [
    path("stamped/<id:pk>/", views.download_stamped_copy, name="stamped_copy"),
    path("verify/", views.verify_form, name="verify_form"),
    path("verify/<str:reference>/<id:revision>/<str:fingerprint>/", views.verify_printout, name="verify"),
]
