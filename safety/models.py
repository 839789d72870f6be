# Adverse events (CTCAE v5), safety lab panels, Treg values and reminders arrive with the safety work.
