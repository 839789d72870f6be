import sys

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from reports.interchange_export import study_export


class Command(BaseCommand):
    help = ("Write the whole study as one interchange document (format itp-trial/1, the one import_study reads), "
            "to stdout or --out FILE: the same bytes as the Exports page's download.")

    def add_arguments(self, parser):
        parser.add_argument("--out", help="file to write (default: standard output)")
        parser.add_argument("--user", help="username the export is logged under (default: the OS account)")

    def handle(self, *args, **options):
        user = None
        if options.get("user"):
            try:
                user = get_user_model().objects.get(username=options["user"])
            except get_user_model().DoesNotExist as exc:
                raise CommandError(f"--user {options['user']}: no such user") from exc
        content = study_export(user=user, via="command")
        if options.get("out"):
            try:
                with open(options["out"], "wb") as out:
                    out.write(content)
            except OSError as exc:
                raise CommandError(f"{options['out']}: cannot be written ({exc.strerror or exc})") from exc
        else:
            stream = getattr(self.stdout, "buffer", None) or sys.stdout.buffer
            stream.write(content)
            stream.flush()
