"""The desk's modeladmin views as they read the request: only their own parameters, only valid ids.

modeladmin, like Django's changelist, turns every query parameter it does not know into a database
lookup (``?personal=1`` became ``filter(personal=1)``), and its instance views look up whatever the URL
holds as a primary key (``inspect/abc/``): both answered a server error. Here a list reads only the
parameters its filters name, and an id that is not a number a row could have is a 404.
"""

from django.contrib import messages
from django.contrib.admin.filters import FieldListFilter
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.utils import get_fields_from_path
from django.http import Http404, HttpResponseBadRequest, HttpResponseRedirect
from django.utils.translation import gettext as _
from wagtail_modeladmin.options import ModelAdmin
from wagtail_modeladmin.views import DeleteView, EditView, IndexView, InspectView

# The largest key a row can have on any database the product runs on (SQLite's and PostgreSQL's
# bigint); SQLite overflows on anything bigger instead of finding nothing.
MAX_ID = 2**63 - 1


def as_id(value):
    """Return ``value`` as a row id, or None when it is not one (not digits, or out of range)."""
    text = str(value or "")
    if not (text.isascii() and text.isdigit()) or int(text) > MAX_ID:
        return None
    return int(text)


class KnownParametersIndexView(IndexView):
    """An index view whose filters see only the parameters they expect; any other is ignored."""

    def dispatch(self, request, *args, **kwargs):
        if any("\x00" in value for _key, values in request.GET.lists() for value in values):
            # No text a person types holds a NUL, and PostgreSQL refuses it in any text comparison.
            return HttpResponseBadRequest(_("This address holds characters no filter or search can use."))
        try:
            return super().dispatch(request, *args, **kwargs)
        except IncorrectLookupParameters:
            # A value a field's own filter cannot read (``?unmasked__exact=abc``): as Django's admin
            # does, the list is shown again without its filters, with a word of why.
            messages.warning(request, _("That filter could not be applied, so the whole list is shown."))
            return HttpResponseRedirect(request.path)

    def get_filters_params(self, params=None):
        known = set(self.get_filter_parameter_names())
        return {key: value for key, value in super().get_filters_params(params).items() if key in known}

    def get_filter_parameter_names(self):
        """Yield the query parameters this list's filters read."""
        for spec in self.list_filter:
            if isinstance(spec, str | tuple | list):
                path = spec if isinstance(spec, str) else spec[0]
                field = get_fields_from_path(self.model, path)[-1]
                if isinstance(spec, str):
                    made = FieldListFilter.create(field, self.request, {}, self.model, self.model_admin, path)
                else:
                    made = spec[1](field, self.request, {}, self.model, self.model_admin, path)
                yield from made.expected_parameters()
            else:
                # Custom filters, by their declarations: making one would run its choices' queries.
                if getattr(spec, "parameter_name", None):
                    yield spec.parameter_name
                yield from getattr(spec, "parameters", ())


class CheckedInstanceMixin:
    """An instance view that answers 404 for an id no row could have, before looking it up."""

    def __init__(self, model_admin, instance_pk):
        if as_id(instance_pk) is None:
            raise Http404
        super().__init__(model_admin, instance_pk)


class CheckedInspectView(CheckedInstanceMixin, InspectView):
    pass


class CheckedEditView(CheckedInstanceMixin, EditView):
    pass


class CheckedDeleteView(CheckedInstanceMixin, DeleteView):
    pass


class DeskModelAdmin(ModelAdmin):
    """The desk's modeladmin base: every list and instance view reads the request as above."""

    index_view_class = KnownParametersIndexView
    inspect_view_class = CheckedInspectView
    edit_view_class = CheckedEditView
    delete_view_class = CheckedDeleteView
