"""The plugin's public URLs, under one namespace: ``path("applications/", include("forms_app.urls"))``.

Applicants' accounts are included apart (``forms_app.accounts.urls``), since a host site
may already have its own sign-in.
"""

from forms_app.applications import urls as applications
from forms_app.printing import urls as printing

app_name = "shenbao"

urlpatterns = applications.urlpatterns + printing.urlpatterns
