"""The extension point through which the apps above tell this app who besides a unit decides on it.

A Wagtail hook name (``@hooks.register(NAME)``):

- ``UNIT_DESK_HOOK``: ``fn(request, organisation)`` returns ``(addresses, url)``: the e-mail
  addresses of the reviewers who decide on the unit's requests to join, and the absolute address
  of the page where they do. This app mails them when a request arrives; it knows nothing of desks.
"""

UNIT_DESK_HOOK = "shenbao_unit_membership_desk"
