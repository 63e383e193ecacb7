"""The public search-and-filter form of the notice index."""

from django import forms
from django.utils.translation import gettext_lazy as _

from notices.status import NoticeStatus


class NoticeFilterForm(forms.Form):
    """Search text plus year, issuer and status filters; every control is labelled."""

    q = forms.CharField(label=_("Search notices"), max_length=100, required=False)
    year = forms.TypedChoiceField(label=_("Year"), required=False, coerce=int, empty_value=None)
    issuer = forms.ChoiceField(label=_("Issuing authority"), required=False)
    status = forms.ChoiceField(
        label=_("Status"),  # a plain status, as Wagtail says it: 状态
        required=False,
        choices=[("", _("Any status"))] + list(NoticeStatus.choices),
    )

    def __init__(self, *args, notices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [("", _("Any year"))] + [
            (year, str(year)) for year in self.get_years(notices)
        ]
        self.fields["issuer"].choices = [("", _("Any issuer"))] + [
            (issuer, issuer) for issuer in self.get_issuers(notices)
        ]

    def get_years(self, notices):
        """Return the issue years present among ``notices``, newest first."""
        dates = notices.order_by().dates("issue_date", "year", order="DESC")
        return [d.year for d in dates]

    def get_issuers(self, notices):
        """Return the distinct issuing authorities among ``notices``."""
        values = notices.order_by("issuing_authority").values_list("issuing_authority", flat=True)
        return list(dict.fromkeys(values))

    def clean_q(self):
        # Control characters cannot be typed and only confuse the search backend.
        return "".join(ch for ch in self.cleaned_data["q"] if ch.isprintable()).strip()
