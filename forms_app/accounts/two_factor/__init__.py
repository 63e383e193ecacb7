"""Two-factor sign-in for staff (TOTP, through django-otp), which a site may require.

A site that sets ``SHENBAO_STAFF_REQUIRE_TWO_FACTOR`` sends a staff member who signed in with their
password, and has not yet given a code in this session, to enrol an authenticator app (the first
time) or to type its current code; until then no admin page, desk view, export or private file
opens. The package is opt-in, apart from the rest of the accounts app, so a host site without
``django_otp`` in its ``INSTALLED_APPS`` never imports it.
"""
