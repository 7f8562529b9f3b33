"""What shared caches (nginx in front, a CDN) may keep: public pages and data for anonymous readers, nothing that
belongs to a session.

- An anonymous request that carries no session cookie and leaves the session empty gets no `Vary: Cookie` and no
  `Set-Cookie` (Flask adds `Vary: Cookie` whenever anything as much as looks at the session, and Flask-Login looks
  after every request), so one cached copy serves every anonymous reader.
- Public HTML for such a request is cacheable for a minute (`Cache-Control: public, max-age=60`) unless the view
  said otherwise; the language is in the URL or in `Vary: Accept-Language`.
- Anything for a signed-in user, and the moderation, admin, sign-in and report pages (their forms carry a CSRF
  token in the session; the receipt names the reporter's reference), is `Cache-Control: no-store`, unless the view
  declared the answer `public` (the same for everyone, such as a verified camera's photo).
"""

from flask import Flask, Response, request, session
from flask.sessions import SecureCookieSessionInterface

PRIVATE_BLUEPRINTS = frozenset({"moderation", "admin", "auth", "submissions"})
PUBLIC_HTML_MAX_AGE = 60


class AnonymousFriendlySessionInterface(SecureCookieSessionInterface):
    """Flask's signed-cookie sessions, without `Vary: Cookie` for a request that has and makes no session."""

    def save_session(self, app: Flask, session, response: Response) -> None:
        if not session and not session.modified and self.get_cookie_name(app) not in request.cookies:
            session.accessed = False  # looked at and found empty: the response does not depend on any cookie
        super().save_session(app, session, response)


def apply_cache_policy(response: Response) -> Response:
    signed_in = "_user_id" in session
    if signed_in or request.blueprint in PRIVATE_BLUEPRINTS or session.modified:
        kept = response.headers.get("Cache-Control", "")
        # A view's own policy stands when it vouches the answer is everyone's (a verified photo: `public`), and for
        # anonymous non-HTML answers (the service worker's no-cache).
        if (
            "no-store" not in kept
            and "public" not in kept
            and (signed_in or not kept or response.mimetype == "text/html")
        ):
            response.headers["Cache-Control"] = "no-store"
    elif request.method in ("GET", "HEAD") and response.status_code == 200 and response.mimetype == "text/html":
        response.headers.setdefault("Cache-Control", f"public, max-age={PUBLIC_HTML_MAX_AGE}")
    return response


def init_app(app: Flask) -> None:
    app.session_interface = AnonymousFriendlySessionInterface()
    app.after_request(apply_cache_policy)
