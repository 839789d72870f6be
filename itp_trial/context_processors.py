from .roles import ENTER_DATA, EXPORT_DATA, MANAGE_USERS, REVIEW_DATA, UNLOCK_RECORDS, VIEW_REPORTS, VIEW_STUDY, role_of


def roles(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "user_role": role_of(user),
        "can_view": user.has_perm(VIEW_STUDY),
        "can_enter": user.has_perm(ENTER_DATA),
        "can_review": user.has_perm(REVIEW_DATA),
        "can_reports": user.has_perm(VIEW_REPORTS),
        "can_export": user.has_perm(EXPORT_DATA),
        "can_admin": user.has_perm(MANAGE_USERS),
        "can_unlock": user.has_perm(UNLOCK_RECORDS),
    }

