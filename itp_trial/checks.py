"""System check: the protocol schedule must be consistent before the app serves anyone."""

from django.core import checks

from visits.schedule import PROTOCOL_SCHEDULE


@checks.register()
def schedule_check(app_configs, **kwargs):
    return [
        checks.Error(problem, hint="Fix PROTOCOL_SCHEDULE in visits/schedule.py", id="itp_trial.E001")
        for problem in PROTOCOL_SCHEDULE.problems()
    ]
