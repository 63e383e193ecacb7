"""The extension points through which the apps above add to form pages without this app knowing them.

Each is a Wagtail hook name (``@hooks.register(NAME)``):

- ``FORM_PAGE_URLS_HOOK``: return ``path()``s to route below every form page; their views are
  called as the page's methods, ``view(page, request, ...)`` (see ``page_view``).
- ``SUBMITTED_CONTEXT_HOOK``: ``fn(request, context)`` adds to the confirmation page's context;
  template names appended to ``context["panels"]`` are included on the page.
- ``SUBMISSION_READERS_HOOK``: ``fn(request, submission)`` returns True when the visitor may read
  the submission (and its files) besides its applicant.
- ``SUBMISSION_READ_HOOK``: ``fn(request, submission, what, detail)`` is told each time someone other
  than its applicant downloads a file of the submission (``what`` is ``"file"``), so it can be
  written to the audit log (see ``views.note_reading``).
- ``STORED_BYTES_HOOK``: ``fn(user)`` returns the bytes of files the account keeps in that app
  (stamped scans, …), which count against its cap besides its uploads (see ``quotas.py``).
"""

FORM_PAGE_URLS_HOOK = "register_shenbao_form_page_urls"
SUBMITTED_CONTEXT_HOOK = "construct_shenbao_submitted_context"
SUBMISSION_READERS_HOOK = "shenbao_may_read_submission"
SUBMISSION_READ_HOOK = "shenbao_submission_read"
STORED_BYTES_HOOK = "shenbao_stored_bytes"


def page_view(view):
    """Adapt a view ``view(request, page, ...)`` to a route of the form page (called as its method)."""

    def route(page, request, *args, **kwargs):
        return view(request, page, *args, **kwargs)

    route.__name__ = view.__name__
    route.__doc__ = view.__doc__
    return route
