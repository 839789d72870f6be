"""Problems: what the pure rule modules find, as a code with parameters, worded only when shown.

A rule module returns `Problem("visit_date.future", {"today": date(...)})` (plain values, no words); each app
declares the wording of its codes once, in its `messages.py`, as a `WORDINGS` table of
code → (phrase, sentence):

- the phrase reads after a field's name or a JSON path ("platelets: must be between 0 and 1500"), the way the
  study importer lists problems (`str(problem)` gives it);
- the sentence stands alone next to the field on a form ("Must be between 0 and 1500.").

Both are translated (gettext_lazy in the table) and rendered in the active language when read; dates are shown
in ISO form and numbers without spurious decimals in every language. The bridge to Django's field errors,
`problems_error`, puts the sentences next to their fields. This module also words itp_trial's own codes (the
plausibility rules of itp_trial.plausibility).
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Problem:
    """A rule's finding: a stable code and its parameters (dates, numbers, names: data, not words)."""

    code: str
    params: Mapping = field(default_factory=dict, hash=False)

    def __str__(self) -> str:
        return phrase(self)


_WORDINGS: dict[str, tuple] = {}


def register(wordings: Mapping[str, tuple]) -> None:
    """Declare an app's wordings (called by each app's messages.py when it is imported): code → (phrase,
    sentence), or (phrase, sentence, shown_params) where `shown_params(params)` gives the parameters as shown
    (e.g. a therapy's code as its translated name)."""
    _WORDINGS.update(wordings)


def _wording(code: str) -> tuple:
    if code not in _WORDINGS:
        autodiscover_modules("messages")  # each app's messages.py registers its codes on import
    try:
        return _WORDINGS[code]
    except KeyError:
        raise LookupError(f"no wording declared for the problem code {code!r}") from None


def shown(value) -> str:
    """A parameter as every language shows it: ISO dates, numbers without spurious decimals."""
    if isinstance(value, Problem):
        return sentence(value)
    if isinstance(value, list | tuple):
        return " ".join(shown(item) for item in value)
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        if value.is_finite() and value == value.to_integral_value():
            return str(value.quantize(Decimal(1)))
        return str(value.normalize()) if value.is_finite() else str(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) >= 10_000:
        return f"{value:,}"
    return str(value)


def _render(problem: Problem, which: int) -> str:
    wording = _wording(problem.code)
    text = str(wording[which])
    if not problem.params:
        return text
    params = wording[2](problem.params) if len(wording) > 2 else problem.params
    return text % {key: shown(value) for key, value in params.items()}


def phrase(problem: "Problem | str") -> str:
    """The words read after a field's name or a JSON path ("must be between 0 and 1500")."""
    return _render(problem, 0) if isinstance(problem, Problem) else str(problem)


def sentence(problem: "Problem | str") -> str:
    """The sentence shown next to a field ("Must be between 0 and 1500.")."""
    return _render(problem, 1) if isinstance(problem, Problem) else str(problem)


def problems_error(problems: Mapping[str, list]) -> ValidationError:
    """Problems (codes, or sentences a service already worded) as sentences keyed by field."""
    return ValidationError({name: [sentence(p) for p in found] for name, found in problems.items()})


# itp_trial.plausibility's codes.
WORDINGS = {
    "date.too_early": (_("must not be before %(earliest)s"), _("Must not be before %(earliest)s.")),
    "date.too_late": (_("must not be after %(latest)s"), _("Must not be after %(latest)s.")),
    "date.future": (_("cannot be in the future"), _("Cannot be in the future.")),
    "number.not_finite": (_("must be a finite number"), _("Must be a finite number.")),
    "number.too_large": (_("is too large (at most %(limit)s either side of zero)"),
                         _("Is too large (at most %(limit)s either side of zero).")),
    "limit.negative": (_("must not be negative"), _("Must not be negative.")),
    "limit.not_below_uln": (_("must be below the ULN"), _("Must be below the ULN.")),
    "text.control": (_("must not contain control characters"), _("Must not contain control characters.")),
    "key.control": (_("a key contains control characters"), _("A key contains control characters.")),
    "required": (_("is required"), _("This field is required.")),
}
register(WORDINGS)
