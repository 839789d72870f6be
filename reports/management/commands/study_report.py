import json

from django.core.management.base import BaseCommand

from reports.selectors import study_report


class Command(BaseCommand):
    help = ("Print the study's response tables (the paper's Tables 2 and 3); --json: the whole report, Tables 1-5, "
            "for machines.")

    def add_arguments(self, parser):
        parser.add_argument("--json", action="store_true", help="print the report as JSON (stable interface)")

    def handle(self, *args, **options):
        report = study_report()
        if options["json"]:
            self.stdout.write(json.dumps(report, indent=2))
            return
        b = report["baseline"]
        self.stdout.write(f"baseline  n={b['n']}  median platelets={b['median_platelets']}")
        self.stdout.write(f"{'visit':<8} {'n':>3} {'NR':>3} {'R':>3} {'CR':>3} {'NE':>3} {'ORR':>6} {'median':>7}")
        for t in report["timepoints"]:
            orr = f"{t['orr']:.0%}" if t["orr"] is not None else "—"
            med = t["median_platelets"] if t["median_platelets"] is not None else "—"
            self.stdout.write(
                f"{t['visit']:<8} {t['n']:>3} {t['NR']:>3} {t['R']:>3} {t['CR']:>3} {t['NE']:>3} {orr:>6} {med:>7}"
            )
