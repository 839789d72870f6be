import json
from datetime import date

from django.core.management.base import BaseCommand, CommandError

from inbox.scan import reminders_email_pending, reminders_scan
from itp_trial.clock import study_today


class Command(BaseCommand):
    help = "Run the daily reminder scan now (the same scan beat schedules): due labs, troughs and visits."

    def add_arguments(self, parser):
        parser.add_argument("--as-of", help="scan as if today were YYYY-MM-DD")
        parser.add_argument("--json", action="store_true", help='print {"created": N, "emailed": M}')

    def handle(self, *args, as_of=None, json=False, **options):
        try:
            today = date.fromisoformat(as_of) if as_of else study_today()
        except ValueError as exc:
            raise CommandError(f"--as-of must be a date written YYYY-MM-DD, not {as_of!r}") from exc
        result = {"created": reminders_scan(today=today), "emailed": reminders_email_pending(), "as_of": str(today)}
        if json:
            self.stdout.write(_dumps(result))
        else:
            self.stdout.write(f"{result['created']} reminder(s) created, {result['emailed']} emailed (as of {today}).")


def _dumps(value) -> str:
    return json.dumps(value)
