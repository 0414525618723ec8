"""Serving and security: static files, HTTPS, response headers, the Content-Security-Policy and
sign-in rate limiting. Imported at the end of config/settings/__init__.py, so it reads what that
module has already decided (DEBUG, STORAGES, the password validators).

X_FRAME_OPTIONS, nosniff, the Referrer-Policy and the secure cookie flags are set there already;
docs/serving.md lists every header the site sends and every variable read here.
"""

import datetime

from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from . import AUTH_PASSWORD_VALIDATORS as _AUTH_PASSWORD_VALIDATORS
from . import DEBUG as _DEBUG
from . import STATIC_ROOT as _STATIC_ROOT
from . import STORAGES as _STORAGES
from .environment import env_bool, env_int, env_str


def _header_meta_key(variable: str) -> str:
    """The request.META key of the HTTP header named in an environment variable, or "" if unset."""
    name = env_str(variable, "").strip()
    if name and not name.replace("-", "").isalnum():
        raise ImproperlyConfigured(f"{variable}={name!r} is not an HTTP header name, such as X-Real-IP.")
    return "HTTP_" + name.upper().replace("-", "_") if name else ""


# --- Static files ---------------------------------------------------------------------------------
# whitenoise serves them from the app. In production they carry a content hash in their names and
# are kept pre-compressed, so browsers may cache them for ever; `manage.py collectstatic` makes
# them. Debug runs and the tests keep Django's plain storage, which needs no collectstatic.
if not _DEBUG:
    STORAGES = {
        **_STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
else:
    # In debug whitenoise finds the files where they are written, but warns at every start if the
    # collectstatic folder is missing; an empty one (in var/, like the local database) quiets it.
    _STATIC_ROOT.mkdir(parents=True, exist_ok=True)

# --- HTTPS ----------------------------------------------------------------------------------------
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", not _DEBUG)
# A load balancer asks each web process directly, over plain HTTP, whether it is healthy; a
# redirect would read as a failure. The health check says nothing about anyone.
SECURE_REDIRECT_EXEMPT = [r"^health/$"]
# A debug run on http://127.0.0.1 must not teach the browser to insist on HTTPS for a year.
SECURE_HSTS_SECONDS = env_int("DJANGO_SECURE_HSTS_SECONDS", 0 if _DEBUG else 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("DJANGO_SECURE_HSTS_PRELOAD", False)
if not SECURE_HSTS_PRELOAD:
    # check --deploy asks for preload (security.W021). Preloading is a promise, hard to take back,
    # that the whole registered domain and every subdomain will only ever use HTTPS: a centre's
    # domain usually serves more than this site, so whoever owns it decides, with the variable.
    SILENCED_SYSTEM_CHECKS = ["security.W021"]

# Behind a proxy that ends TLS (nginx in docs/serving.md) every request reaches Django as plain
# HTTP; the proxy names the original scheme in a header, which it must set on every request so a
# client cannot forge it. DJANGO_SECURE_PROXY_SSL_HEADER=X-Forwarded-Proto says which one.
_proxy_ssl_header = _header_meta_key("DJANGO_SECURE_PROXY_SSL_HEADER")
if _proxy_ssl_header:
    SECURE_PROXY_SSL_HEADER = (_proxy_ssl_header, "https")

SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

# --- Content-Security-Policy (django-csp) ---------------------------------------------------------
# Every script is one of our own files: no inline script and no eval, so injected markup cannot run
# code. Evidence file downloads send their own stricter policy, which the middleware leaves alone
# (it never replaces a Content-Security-Policy header a view has set).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        # Stylesheets are our own files too; no template has a style attribute (progress bars
        # take their width from data-percent through static/js/portfolio.js).
        "style-src": [SELF],
        # Bootstrap draws some icons (the close button, select arrows) as data: SVG images.
        "img-src": [SELF, "data:"],
        # Evidence shown where it is judged: recordings and videos in players, a PDF in a frame,
        # all from the permission-checked file view on our own origin (portfolio/views/files.py).
        # default-src allows both already; said here so that narrowing default-src keeps them.
        "media-src": [SELF],
        "frame-src": [SELF],
        # Plugins never: a PDF is framed (<iframe>), not embedded (<object>).
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

# --- Password hashing -----------------------------------------------------------------------------
# Argon2id, as OWASP's Password Storage Cheat Sheet recommends first. Django's Argon2PasswordHasher
# (argon2-cffi) is Argon2id with Django's parameters, raised by Django over releases: in 5.2 a time
# cost of 2, 100 MiB of memory and 8 lanes, well above OWASP's minimum (19 MiB, 2 passes, 1 lane).
# One sign-in costs about 0.2 s of CPU and 100 MiB for its length (docs/performance.md). The others
# stay listed only so that hashes made before (PBKDF2, Django's previous default) still verify:
# Django re-hashes a password with the first hasher when its owner next signs in.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]

# --- Sign-in rate limiting (django-axes) -----------------------------------------------------------
# After five failed sign-ins for one email address from one client address, that pair is refused
# for the cool-off, even with the right password; the sign-in page says so and how long. Counting
# the pair rather than the address alone means one person's typos never lock out a whole centre
# behind one NAT address, and rather than the email alone that a stranger cannot lock anyone out.
# Attempts are kept in the database, which every web process shares.
AUTHENTICATION_BACKENDS = [
    "portfolio.sign_in_limits.SignInLimitBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_ENABLED = True
AXES_FAILURE_LIMIT = 5
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
LOGIN_COOLOFF_MINUTES = env_int("PORTFOLIO_LOGIN_COOLOFF_MINUTES", 15, minimum=1)
AXES_COOLOFF_TIME = datetime.timedelta(minutes=LOGIN_COOLOFF_MINUTES)
# A success clears the count, so a typo a week does not add up to a lock-out.
AXES_RESET_ON_SUCCESS = True
# The cool-off runs from the failure that locked the pair; tries during it neither count nor extend
# it, so "try again in 15 minutes" stays true. They cannot guess either: no password is checked.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
# Django's sign-in form calls the email field "username"; one address however it is capitalised.
AXES_USERNAME_FORM_FIELD = "username"
AXES_USERNAME_CALLABLE = "portfolio.sign_in_limits.sign_in_name"
AXES_CLIENT_IP_CALLABLE = "portfolio.sign_in_limits.client_address"
AXES_LOCKOUT_CALLABLE = "portfolio.sign_in_limits.locked_out_response"
# Axes would otherwise also keep every successful sign-in's address and browser, with no rule for
# how long: personal data this site has no use for. Failed attempts are still kept; they lock.
AXES_DISABLE_ACCESS_LOG = True
# Lock-outs are still logged as warnings; this only drops axes' line at every start of every
# command, and the browser's user agent from the lines it does write.
AXES_VERBOSE = False
# Behind a proxy, every request comes from the proxy's address. The proxy puts the client's own
# address in a header it always overwrites (nginx: proxy_set_header X-Real-IP $remote_addr);
# PORTFOLIO_CLIENT_IP_HEADER=X-Real-IP names it. Unset, the connection's address is used.
PORTFOLIO_CLIENT_IP_META_KEY = _header_meta_key("PORTFOLIO_CLIENT_IP_HEADER")
# Setting a new password (through "Forgotten your password?", or an administrator) ends any
# lock-out on that account: whoever did it has proved they hold the email address or the admin.
AUTH_PASSWORD_VALIDATORS = [
    *_AUTH_PASSWORD_VALIDATORS,
    {"NAME": "portfolio.sign_in_limits.LockOutEndsWithNewPassword"},
]

# --- Private files through the web server ---------------------------------------------------------
# With nginx in front and evidence on this machine's disk, the download view can check permission
# and then let nginx send the bytes: set this to the `internal` location's prefix, e.g.
# "/_protected/" (docs/serving.md). Unset, the view streams the file itself.
PORTFOLIO_ACCEL_REDIRECT_PREFIX = env_str("PORTFOLIO_ACCEL_REDIRECT_PREFIX", "").strip()
if PORTFOLIO_ACCEL_REDIRECT_PREFIX and not (
    PORTFOLIO_ACCEL_REDIRECT_PREFIX.startswith("/") and PORTFOLIO_ACCEL_REDIRECT_PREFIX.endswith("/")
):
    raise ImproperlyConfigured(
        f"PORTFOLIO_ACCEL_REDIRECT_PREFIX={PORTFOLIO_ACCEL_REDIRECT_PREFIX!r} must start and end "
        "with a slash, like /_protected/."
    )
