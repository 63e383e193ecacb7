"""A limit on how often one client address may use a public page, counted in Django's cache.

Pages that anyone may open without signing in, and that look records up (the verification of
printouts), would otherwise let one machine try codes or scrape answers as fast as it likes. Each
address gets a number of requests per fixed window; past it the page answers 429 with a page that
says when to come back. The count lives in the site's default cache, so every web process shares it
when the cache is shared (Redis); with the local-memory cache each process counts on its own.
"""

import time
from functools import wraps

from django.core.cache import cache
from django.template.response import TemplateResponse

from forms_app import conf


def seconds_to_wait(scope, address, limit, window):
    """Count one request by ``address`` in ``scope``; return 0 when allowed, else the seconds left."""
    if not limit:
        return 0
    now = time.time()
    slot = int(now // window)
    key = f"shenbao:rate:{scope}:{address}:{slot}"
    # add() starts the window's count only once; incr() is atomic on Redis and on the local cache.
    cache.add(key, 0, timeout=window + 1)
    try:
        count = cache.incr(key)
    except ValueError:  # the key expired between the two calls: this request opens a new count
        cache.set(key, 1, timeout=window + 1)
        count = 1
    if count <= limit:
        return 0
    return max(1, int((slot + 1) * window - now + 0.999))


def rate_limited(scope, limits, template):
    """Decorate a view so that each address may call it ``limits()`` = ``(count, seconds)`` times.

    Past the limit the view is not run: ``template`` answers with status 429, a ``Retry-After``
    header and ``retry_after`` (seconds) and ``retry_minutes`` in its context.
    """

    def decorate(view):
        @wraps(view)
        def limited_view(request, *args, **kwargs):
            limit, window = limits()
            wait = seconds_to_wait(scope, conf.client_ip(request), limit, window)
            if not wait:
                return view(request, *args, **kwargs)
            context = {"retry_after": wait, "retry_minutes": max(1, (wait + 59) // 60)}
            response = TemplateResponse(request, template, context, status=429)
            response["Retry-After"] = str(wait)
            response["Cache-Control"] = "private, no-store"
            return response

        return limited_view

    return decorate
