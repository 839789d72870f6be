"""Request rates per user (token or session) and per address for anonymous callers, from settings.API_THROTTLE_RATES
read on every request (so a deployment or a test can change them)."""

from django.conf import settings
from rest_framework import throttling


class _SettingsRate:
    def get_rate(self):
        return settings.API_THROTTLE_RATES[self.scope]


class UserRateThrottle(_SettingsRate, throttling.UserRateThrottle):
    scope = "user"


class AnonRateThrottle(_SettingsRate, throttling.AnonRateThrottle):
    scope = "anon"
