"""The interchange sections the dosing app stores (see reports/interchange_base.py)."""

DOSING_SECTIONS: tuple = ()
