"""The lockout backend: axes' check in front of Django's ModelBackend.

Every sign-in through a page (login, admin login, the signature's password) passes its request, so axes counts
and locks it. Code without a request (the test client's `login()`, the shell) has no address to count; there the
check steps aside instead of refusing, and the next backend checks the password as usual.
"""

from axes.backends import AxesStandaloneBackend


class LockoutBackend(AxesStandaloneBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)
