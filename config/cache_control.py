"""`Cache-Control: private, no-store` on every answer Django gives, so no page with personal data
stays in a shared proxy's cache or the browser's (a shared computer at a care home, the back
button after signing out).

The rule is the simple one that cannot miss a page: every response, not only those to someone
signed in. Pages that are personal without a session exist (a witness's testimony page names the
candidate) and a page's address does not say whether it is personal (the home page is both).
What it costs, that the sign-in page and the standards catalogue are fetched again each time, is
small. Static files never come here: WhiteNoise answers them earlier in MIDDLEWARE, with their own
long cache lifetime. A view that sets its own Cache-Control keeps it: file downloads, the
witness's page and the health check set stricter or more exact ones deliberately.
"""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

PRIVATE_NO_STORE = "private, no-store"


class NoStoreMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if "Cache-Control" not in response:
            response["Cache-Control"] = PRIVATE_NO_STORE
        return response
