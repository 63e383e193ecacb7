"""Checking an upload against what a field accepts: its size, its type and a name that agrees.

The type comes from the content (``filetypes.identify``), never from the name. A name that says
another type is refused rather than silently renamed: the applicant most likely picked the wrong
file, and should hear it while they can still pick the right one.
"""

from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from forms_app.builder import filetypes
from forms_app.builder.filetypes import TYPE_NAMES


def check_upload(upload, allowed_types, max_size_mb, label):
    """Raise a ValidationError naming ``label`` unless the file is of an allowed type and size.

    Return the type found in the content, which stored and downloaded names take as extension.
    """
    size = getattr(upload, "size", None) or 0
    params = {"field": label, "name": upload.name}
    if size > max_size_mb * 1024 * 1024:
        raise ValidationError(
            _("%(field)s: “%(name)s” is larger than %(max)s MB."), params={**params, "max": max_size_mb}
        )
    if size == 0:
        raise ValidationError(_("%(field)s: “%(name)s” is empty."), params=params)
    try:
        kind = filetypes.identify(upload)
    except filetypes.ActiveContent:
        raise ValidationError(
            _(
                "%(field)s: “%(name)s” contains web content or a script (HTML, SVG, JavaScript or macros), "
                "which is never accepted."
            ),
            params=params,
        ) from None
    except filetypes.Unreadable as refusal:
        raise ValidationError(
            _(
                "%(field)s: “%(name)s” cannot be opened as a %(type)s file: "
                "it is damaged, or not a %(type)s file at all."
            ),
            params={**params, "type": TYPE_NAMES.get(refusal.kind, refusal.kind)},
        ) from None
    if kind not in allowed_types:
        allowed = "、".join(TYPE_NAMES.get(t, t) for t in allowed_types)
        raise ValidationError(
            _("%(field)s: “%(name)s” is not an allowed file (allowed: %(allowed)s)."),
            params={**params, "allowed": allowed},
        )
    if not filetypes.name_agrees(upload.name, kind):
        raise ValidationError(
            _(
                "%(field)s: “%(name)s” is a %(type)s file, but its name says otherwise. "
                "Rename it to end in .%(extension)s, or upload the right file."
            ),
            params={**params, "type": TYPE_NAMES[kind], "extension": filetypes.EXTENSIONS[kind][0]},
        )
    return kind


def check_budget(uploads, budget, label):
    """Raise a ValidationError naming ``label`` when ``uploads`` together take more than ``budget``.

    ``budget`` is ``(bytes the uploads may take, the cap)`` from whoever knows the account, or None
    where no cap applies: accounts are not the builder's business.
    """
    if budget is None:
        return
    allowed, cap = budget
    if sum(getattr(upload, "size", None) or 0 for upload in uploads) > allowed:
        raise ValidationError(
            _(
                "%(field)s: this would take your account past its %(max)s of stored files. "
                "Remove files you no longer need from your drafts, or ask the organisers."
            ),
            params={"field": label, "max": filesizeformat(cap)},
        )
