"""The one rate limit on anonymous reports, shared by the API and the report form."""

from flask import current_app, request

from app.extensions import limiter
from app.submissions import services


def submission_limit() -> str:
    return current_app.config["SUBMISSION_RATE_LIMIT"]


def is_retry_of_stored_report() -> bool:
    """A phone resending a report we already stored gets its receipt, never a 429 for its own retry."""
    key = request.headers.get("Idempotency-Key") or request.form.get("idempotency_key")
    return services.is_stored_report(key)


submission_rate_limit = limiter.shared_limit(
    submission_limit, scope="submissions", exempt_when=is_retry_of_stored_report
)
