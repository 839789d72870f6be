# Sirolimus doses, trough levels and concomitant medications arrive with the dosing work.
