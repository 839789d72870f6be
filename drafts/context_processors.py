def restored_draft(request):
    draft = getattr(request, "restored_draft", None)
    return {"restored_draft": draft.data} if draft is not None else {}
