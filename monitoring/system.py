"""The system account: the author of automatic queries and of their automatic closing."""

from django.contrib.auth import get_user_model

USERNAME = "system"


def system_user():
    """The account automatic queries are raised by (created once, cannot log in)."""
    user, created = get_user_model().objects.get_or_create(
        username=USERNAME, defaults={"first_name": "System", "is_active": False})
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user
