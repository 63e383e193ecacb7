"""The forms of applicant accounts: register, sign in, ask for a new confirmation link, reset a password."""

from collections import defaultdict

from django import forms
from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm, SetPasswordForm, SetPasswordMixin
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.forms.models import ModelChoiceIterator
from django.utils.translation import gettext_lazy as _

from forms_app.accounts.backends import EmailBackend
from forms_app.accounts.models import ApplicantProfile, Membership, Organisation
from forms_app.accounts.tokens import is_awaiting_verification, send_password_reset_email
from forms_app.builder.models import Region
from forms_app.builder.validators import normalise_code, validate_credit_code, validate_mobile

# The username is the lower-cased address, and usernames are at most 150 characters.
EMAIL_MAX_LENGTH = 150


def regions_in_tree_order(queryset):
    """Regions depth first (each followed by the regions inside it), each with a ``path_label``.

    A flat list in code order would scatter a city's counties when editors
    reorder regions; walking the tree keeps "浙江省 · 杭州市 · 上城区" right
    below "浙江省 · 杭州市" whatever the order editors chose among siblings.
    """
    regions = list(queryset)  # in the model's order: sort_order, then code
    known = {region.pk for region in regions}
    children = defaultdict(list)
    for region in regions:
        children[region.parent_id if region.parent_id in known else None].append(region)
    ordered = []

    def visit(region, names):
        names = [*names, region.name]
        region.path_label = " · ".join(names)
        ordered.append(region)
        for child in children[region.pk]:
            visit(child, names)

    for root in children[None]:
        visit(root, [])
    return ordered


class RegionChoiceIterator(ModelChoiceIterator):
    """Lists the field's regions in tree order, labelled with their full path."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for region in regions_in_tree_order(self.queryset):
            yield self.choice(region)


class RegionChoiceField(forms.ModelChoiceField):
    """A region select whose options read "province · city · county".

    Many counties share a name across provinces (e.g. 鼓楼区), so the path is
    what tells them apart.
    """

    iterator = RegionChoiceIterator

    def label_from_instance(self, obj):
        return getattr(obj, "path_label", None) or str(obj)


def password_rules_as_text():
    """Django's password rules as one sentence: the field include escapes help texts, so no HTML list."""
    return " ".join(str(text) for text in password_validation.password_validators_help_texts())


def _email_taken(email):
    UserModel = get_user_model()
    return UserModel._default_manager.filter(Q(username__iexact=email) | Q(email__iexact=email)).exists()


class RegistrationForm(SetPasswordMixin, forms.Form):
    """A new applicant: their account, and the organisation they apply for.

    Not a ModelForm: one submission makes three objects (user, organisation,
    profile). An organisation already registered under the same credit code is
    not duplicated, nor joined outright: anyone can read a credit code, so the
    profile is a request to join that its administrator or its region's desk
    decides (``membership.py``). The account that registers a unit runs it.
    """

    error_messages = {
        **SetPasswordMixin.error_messages,
        "email_characters": _("This address contains characters we cannot accept; please use another one."),
    }

    email_taken = False  # set by clean_email

    email = forms.EmailField(
        label=_("E-mail"),
        max_length=EMAIL_MAX_LENGTH,
        help_text=_("You sign in with this address. We send a link to it to confirm that it is yours."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    full_name = forms.CharField(
        label=_("Full name"), max_length=150, widget=forms.TextInput(attrs={"autocomplete": "name"})
    )
    mobile = forms.CharField(
        label=_("Mobile phone"),
        required=False,
        max_length=20,
        help_text=_("Optional; 11 digits, e.g. 13429129088."),
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )
    password1, password2 = SetPasswordMixin.create_password_fields(
        label1=_("Password"), label2=_("Password again")
    )
    organisation_name = forms.CharField(
        label=_("Organisation name"),
        max_length=200,
        help_text=_("The full name of the unit you apply for (申报单位)."),
        widget=forms.TextInput(attrs={"autocomplete": "organization"}),
    )
    credit_code = forms.CharField(
        label=_("Unified social credit code"),
        required=False,
        max_length=30,  # room for the spaces and hyphens people type; normalised to 18
        help_text=_(
            "Optional; the 18 characters on the business licence. "
            "If your organisation is already registered, you ask to join it: "
            "its administrator or the region's bureau approves the request."
        ),
    )
    region = RegionChoiceField(
        label=_("Region"),
        queryset=Region.objects.all(),
        empty_label=_("Choose a region"),
        help_text=_("Where your organisation is registered."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The include that renders fields escapes help texts, so Django's HTML list
        # of password rules becomes one sentence of plain text.
        self.fields["password1"].help_text = password_rules_as_text()

    def clean_email(self):
        email = self.cleaned_data["email"].strip().lower()
        try:
            get_user_model().username_validator(email)
        except ValidationError:
            raise ValidationError(self.error_messages["email_characters"], code="email_characters") from None
        # A taken address is not refused here: the page would tell anyone which addresses have
        # accounts. The view answers as for a new one and writes to the address's owner instead.
        self.email_taken = _email_taken(email)
        return email

    def clean_full_name(self):
        return " ".join(self.cleaned_data["full_name"].split())

    def clean_mobile(self):
        mobile = normalise_code(self.cleaned_data["mobile"])
        if mobile:
            validate_mobile(mobile, label=self.fields["mobile"].label)
        return mobile

    def clean_credit_code(self):
        code = normalise_code(self.cleaned_data["credit_code"])
        if code:
            validate_credit_code(code, label=self.fields["credit_code"].label)
        return code

    def clean(self):
        cleaned_data = super().clean()
        self.validate_passwords()
        return cleaned_data

    def _post_clean(self):
        super()._post_clean()
        # As in UserCreationForm: after clean(), so that the similarity check
        # can compare the password with the address and the name.
        UserModel = get_user_model()
        user = UserModel(
            username=self.cleaned_data.get("email", ""),
            email=self.cleaned_data.get("email", ""),
            first_name=self.cleaned_data.get("full_name", ""),
        )
        self.validate_password_for_user(user)

    @transaction.atomic
    def save(self):
        """Create the inactive user, their organisation (or join it) and their profile."""
        data = self.cleaned_data
        UserModel = get_user_model()
        user = UserModel(
            username=data["email"], email=data["email"], first_name=data["full_name"], is_active=False
        )
        self.set_password_and_save(user)
        if data["credit_code"]:
            # get_or_create retries the lookup when a concurrent registration wins
            # the race to the unique constraint: the loser asks to join.
            organisation, created = Organisation.objects.get_or_create(
                credit_code=data["credit_code"],
                defaults={"name": data["organisation_name"], "region": data["region"]},
            )
        else:
            organisation, created = (
                Organisation.objects.create(name=data["organisation_name"], region=data["region"]),
                True,
            )
        # A unit known before (registered by someone else, or made by an import) is only asked.
        ApplicantProfile.objects.create(
            user=user,
            organisation=organisation,
            status=Membership.APPROVED if created else Membership.PENDING,
            is_administrator=created,
        )
        # The mobile number is checked but not stored: the profile has no phone
        # column yet, and this step makes no model changes.
        self.organisation = organisation
        return user


class EmailAuthenticationForm(AuthenticationForm):
    """Sign in with an e-mail address; says when the address still needs confirming.

    With the default messages, an applicant who has not followed the link yet
    is told their password is wrong. When the password is right, telling them
    to confirm the address reveals nothing they do not know.
    """

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _("Please enter a correct e-mail address and password."),
        "unconfirmed": _(
            "Please confirm your e-mail address first: follow the link in the e-mail we sent you."
        ),
    }

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        self.fields["username"].label = _("E-mail")
        self.fields["username"].widget.attrs["autocomplete"] = "email"
        # The address to offer a new link for, once "unconfirmed" is raised.
        self.unconfirmed_email = ""

    def clean(self):
        try:
            return super().clean()
        except ValidationError as error:
            if error.code != "invalid_login":
                raise
            user = EmailBackend.find_user(self.cleaned_data.get("username", ""))
            password = self.cleaned_data.get("password")
            if (
                user is not None
                and password
                and is_awaiting_verification(user)
                and user.check_password(password)
            ):
                self.unconfirmed_email = user.email
                raise ValidationError(self.error_messages["unconfirmed"], code="unconfirmed") from None
            raise


class AskToJoinForm(forms.Form):
    """A refused or removed account names the unit it asks to join, by its credit code."""

    credit_code = forms.CharField(
        label=_("Unified social credit code"),
        max_length=18,
        help_text=_("The unit's 18-character code, as on its business licence."),
    )

    def clean_credit_code(self):
        code = normalise_code(self.cleaned_data["credit_code"])
        validate_credit_code(code, label=self.fields["credit_code"].label)
        self.organisation = Organisation.objects.filter(credit_code=code).first()
        if self.organisation is None:
            raise ValidationError(
                _("No unit with this credit code is registered here. Check the code with the unit."),
                code="unknown_unit",
            )
        return code


class ResendVerificationForm(forms.Form):
    """Asks for a new confirmation link; the answer never says whether the address is known."""

    email = forms.EmailField(
        label=_("E-mail"),
        max_length=254,
        help_text=_("The address you registered with."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )

    def clean_email(self):
        return self.cleaned_data["email"].strip().lower()


class PasswordResetRequestForm(PasswordResetForm):
    """Django's reset request, mailed through the plugin's messaging in the visitor's language.

    Django's ``save`` is kept as it is: it looks the address up the same way whether it is known or not,
    makes a one-use token for each active account with that address, and sends nothing otherwise; the
    view then answers alike. Only the sending changes, so the e-mail is a task after commit, logged.
    """

    email = forms.EmailField(
        label=_("E-mail"),
        max_length=254,
        help_text=_("The address you registered with."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )

    request = None  # set by save, for the link's host and the e-mail's language

    def save(self, request=None, **kwargs):
        self.request = request
        return super().save(request=request, **kwargs)

    def send_mail(self, subject_template_name, email_template_name, context, *args, **kwargs):
        send_password_reset_email(
            self.request, context["user"], context["email"], context["uid"], context["token"]
        )


class NewPasswordForm(SetPasswordForm):
    """Django's new-password form (the site's validators), with its rules as plain help text."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].help_text = password_rules_as_text()
