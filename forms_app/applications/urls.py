"""Applicants' pages that do not belong to one form page: "My applications" and file downloads."""

from django.urls import path

from forms_app.applications import views

urlpatterns = [
    path("", views.my_applications, name="my_applications"),
    path("files/<id:pk>/", views.download_file, name="file"),
]
