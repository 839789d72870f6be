from .roles import (
    ANSWER_QUERIES,
    ENTER_DATA,
    EXPORT_DATA,
    MANAGE_USERS,
    RAISE_QUERIES,
    REVIEW_DATA,
    UNLOCK_RECORDS,
    VERIFY_SOURCE,
    VIEW_REPORTS,
    VIEW_STUDY,
    request_role,
)


def roles(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "user_role": request_role(request),
        "can_view": user.has_perm(VIEW_STUDY),
        "can_enter": user.has_perm(ENTER_DATA),
        "can_review": user.has_perm(REVIEW_DATA),
        "can_reports": user.has_perm(VIEW_REPORTS),
        "can_export": user.has_perm(EXPORT_DATA),
        "can_admin": user.has_perm(MANAGE_USERS),
        "can_unlock": user.has_perm(UNLOCK_RECORDS),
        "can_raise_queries": user.has_perm(RAISE_QUERIES),
        "can_answer_queries": user.has_perm(ANSWER_QUERIES),
        "can_verify": user.has_perm(VERIFY_SOURCE),
    }

