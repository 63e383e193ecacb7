"""Pages that do not belong to one form page: "My applications", downloads, printout verification."""

from django.urls import path

from . import views

app_name = "forms_app"

urlpatterns = [
    path("", views.my_applications, name="my_applications"),
    path("files/<int:pk>/", views.download_file, name="file"),
    path("stamped/<int:pk>/", views.download_stamped_copy, name="stamped_copy"),
    path("verify/", views.verify_form, name="verify_form"),
    path("verify/<str:reference>/<int:revision>/<str:fingerprint>/", views.verify_printout, name="verify"),
]
