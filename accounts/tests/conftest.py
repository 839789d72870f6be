import pytest


@pytest.fixture(autouse=True)
def addresses(request):
    """The role users have e-mail addresses here: a password link goes only to its owner's address."""
    if "users" in request.fixturenames:
        for user in request.getfixturevalue("users").values():
            user.email = f"{user.username}@example.org"
            user.save(update_fields=["email"])
