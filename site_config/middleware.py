"""Language selection for the public site."""

from django.conf import settings
from django.utils import translation
from django.utils.cache import patch_vary_headers


class DefaultLanguageMiddleware:
    """Serve Simplified Chinese unless the visitor picked another language.

    Django's LocaleMiddleware also follows the browser's Accept-Language, which
    would show English to anyone with an English browser. The bureaus' site is
    Chinese first, so only the language cookie set by the switch is honoured.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def get_language(self, request):
        """Return the language chosen with the switch, or the site default."""
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if chosen and translation.check_for_language(chosen):
            supported = {code for code, _name in settings.LANGUAGES}
            if chosen in supported:
                return chosen
        return settings.LANGUAGE_CODE

    def __call__(self, request):
        language = self.get_language(request)
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
        response = self.get_response(request)
        patch_vary_headers(response, ("Cookie",))
        response.headers.setdefault("Content-Language", language)
        return response
