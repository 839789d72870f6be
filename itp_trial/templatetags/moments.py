"""`moment`: a stored timestamp in the study's zone with its offset ("2026-11-30 16:15 UTC+8")."""

from django import template

from itp_trial.clock import moment_text

register = template.Library()


@register.filter
def moment(value):
    return moment_text(value)
