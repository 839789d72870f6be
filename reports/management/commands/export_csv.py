import sys

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from reports.datasets import DATASETS
from reports.exporting import UnknownDataset, codebook_csv, dataset_get, export_stream


class Command(BaseCommand):
    help = "Write a dataset as CSV (the same bytes as the export page), to stdout or --out FILE."

    def add_arguments(self, parser):
        parser.add_argument("dataset", help=f"one of: {', '.join(DATASETS)}")
        parser.add_argument("--out", help="file to write (default: standard output)")
        parser.add_argument("--codebook", action="store_true", help="write the dataset's codebook instead")
        parser.add_argument("--bom", action="store_true",
                            help="start with the UTF-8 byte-order mark (for Excel; off by default)")
        parser.add_argument("--user", help="username the export is logged under (default: the OS account)")

    def handle(self, *args, **options):
        try:
            dataset = dataset_get(options["dataset"])
        except UnknownDataset as exc:
            raise CommandError(str(exc)) from exc
        user = None
        if options.get("user"):
            try:
                user = get_user_model().objects.get(username=options["user"])
            except get_user_model().DoesNotExist as exc:
                raise CommandError(f"--user {options['user']}: no such user") from exc
        chunks = [codebook_csv(dataset, bom=options["bom"])] if options["codebook"] else export_stream(
            dataset=dataset, user=user, via="command", bom=options["bom"])
        if options.get("out"):
            with open(options["out"], "wb") as out:
                for chunk in chunks:
                    out.write(chunk)
        else:
            stream = getattr(self.stdout, "buffer", None) or sys.stdout.buffer
            for chunk in chunks:
                stream.write(chunk)
            stream.flush()
