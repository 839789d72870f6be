"""Hands a waiting draft to the page it was typed on, and discards it once that page was shown."""

from .services import PENDING, draft_discard, draft_for


class DraftRestoreMiddleware:
    """After AuthenticationMiddleware. `request.restored_draft` is the draft of the page being opened (or None);
    base.html hands its fields to static/js/draft-restore.js, which fills the form in again."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.restored_draft = None
        if request.method == "GET" and request.session.get(PENDING) and request.user.is_authenticated:
            request.restored_draft = draft_for(user=request.user, path=request.get_full_path())
        response = self.get_response(request)
        draft = request.restored_draft
        if draft is not None and response.status_code == 200:
            draft_discard(draft=draft)
            request.session.pop(PENDING, None)  # one form at a time: the session ended on one page
        return response
