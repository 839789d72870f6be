from django.core.management.base import BaseCommand

from itp_trial.role_sync import roles_sync


class Command(BaseCommand):
    help = "Create or update one group per study role with exactly the role's permissions."

    def handle(self, *args, **options):
        for name in roles_sync():
            self.stdout.write(f"role {name}: synced")
