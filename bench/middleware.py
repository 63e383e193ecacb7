"""Names the gunicorn worker that served each response, so the load generator can count per worker."""

import os


def worker_header(get_response):
    """Add ``X-Bench-Worker: <pid>`` to every response (the bench's settings only)."""

    def middleware(request):
        response = get_response(request)
        response["X-Bench-Worker"] = str(os.getpid())
        return response

    return middleware
