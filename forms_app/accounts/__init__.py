"""Applicant accounts: register, confirm the e-mail address, sign in and out.

Applicants are not editors: they never see the Wagtail admin, sign in with the
e-mail address they registered (not a username), and each belongs to the
organisation (申报单位) that quotas count. Django's own user model is kept, with
``username`` set to the lower-cased address, so that the admin, permissions
and the submissions' foreign keys need nothing new.
"""
