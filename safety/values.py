"""Numbers as a person entered them (pure, no Django)."""

from decimal import Decimal, InvalidOperation


def plain(value) -> str:
    """`value` without the trailing zeros of its stored decimal places and never in exponent form: Decimal("5.900")
    → "5.9", Decimal("2.00") → "2", Decimal("100.000") → "100", Decimal("0.050") → "0.05"; None → ""; text stays."""
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return str(value)
    try:
        number = value if isinstance(value, Decimal) else Decimal(str(value))
    except (InvalidOperation, ValueError):
        return str(value)
    if not number.is_finite():
        return str(value)
    text = f"{number:f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text
