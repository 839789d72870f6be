from django.core.management.base import BaseCommand

from monitoring.services import automatic_queries_sync


class Command(BaseCommand):
    help = "Raise automatic data queries from the rules, close those whose cause is gone (idempotent)."

    def handle(self, *args, **options):
        result = automatic_queries_sync()
        self.stdout.write(f"raised {result.raised}, closed {result.closed}, re-opened {result.reopened}")
