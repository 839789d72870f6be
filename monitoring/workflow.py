"""Who may do what to a query in which status (pure: no database).

open → answered → closed; closed can be re-opened; an answered query can be asked again (a follow-up question
opens it). Monitors and data managers raise, ask, close and re-open; nurses and physicians answer; nobody deletes.
"""

from django.utils.translation import gettext_lazy as _

from .models import MessageKind, QueryStatus

OPEN, ANSWERED, CLOSED = QueryStatus.OPEN, QueryStatus.ANSWERED, QueryStatus.CLOSED

# message kind -> (statuses it may follow, status it leads to)
TRANSITIONS: dict[str, tuple[frozenset, str]] = {
    MessageKind.QUESTION: (frozenset({ANSWERED}), OPEN),
    MessageKind.ANSWER: (frozenset({OPEN, ANSWERED}), ANSWERED),
    MessageKind.CLOSE: (frozenset({OPEN, ANSWERED}), CLOSED),
    MessageKind.REOPEN: (frozenset({CLOSED}), OPEN),
}

REFUSED = {
    MessageKind.QUESTION: _("Only an answered query can be asked again."),
    MessageKind.ANSWER: _("A closed query cannot be answered; a monitor can re-open it."),
    MessageKind.CLOSE: _("This query is closed already."),
    MessageKind.REOPEN: _("Only a closed query can be re-opened."),
}


def next_status(status: str, kind: str) -> str | None:
    """The status after a message of `kind`, or None when it cannot follow `status`."""
    allowed, after = TRANSITIONS[kind]
    return after if status in allowed else None
