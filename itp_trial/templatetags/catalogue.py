from django import template
from django.utils import translation

from itp_trial import catalogue

register = template.Library()


@register.simple_tag
def catalogue_url() -> str:
    """The JavaScript catalogue's address for the page's language (itp_trial.catalogue)."""
    return catalogue.catalogue_url(translation.get_language())
