"""Widgets shared by every app's forms."""

from django import forms


class DecimalInput(forms.TextInput):
    """A number typed on a tablet: the decimal keypad, but a text input, so whatever was typed ("12,5", "4.2a") is
    sent and shown back with its error instead of being emptied by the browser (an <input type=number> submits ""
    for anything it cannot read, and the nurse sees "required" with the value gone)."""

    def __init__(self, attrs=None):
        super().__init__({"inputmode": "decimal", "autocomplete": "off", "spellcheck": "false", **(attrs or {})})
