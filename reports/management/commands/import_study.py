import logging
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from reports.importer import ImportRefused, study_import
from reports.interchange_json import DocumentUnreadable, read_document

logger = logging.getLogger(__name__)


class Command(BaseCommand):
    help = "Import a study interchange document (format itp-trial/1), all or nothing."

    def add_arguments(self, parser):
        parser.add_argument("file", help="path of the JSON document")
        parser.add_argument("--user", help="username the imported records are attributed to")
        parser.add_argument("--skip-unsupported", action="store_true",
                            help="ignore sections this installation cannot store yet, instead of refusing")

    def handle(self, *args, **options):
        path = Path(options["file"])
        try:
            document = read_document(path.read_text(encoding="utf-8"))
        except FileNotFoundError as exc:
            raise CommandError(f"{path}: no such file") from exc
        except DocumentUnreadable as exc:
            raise CommandError(f"{path}: {exc}") from exc
        except UnicodeDecodeError as exc:
            raise CommandError(f"{path}: not UTF-8 text (byte {exc.start})") from exc
        except OSError as exc:
            raise CommandError(f"{path}: cannot be read ({exc.strerror or exc})") from exc
        try:
            # One transaction with the import, so a refused import does not leave the import account behind.
            with transaction.atomic():
                user = self._user(options.get("user"))
                result = study_import(document=document, user=user, reason=f"imported from {path.name}",
                                      skip_unsupported=options["skip_unsupported"])
        except ImportRefused as refused:
            for problem in refused.problems:
                self.stderr.write(problem)
            raise CommandError(f"{path.name}: nothing imported, {len(refused.problems)} problem(s)") from refused
        except ValidationError as error:  # a service refused what the checks let through
            raise CommandError(f"{path.name}: nothing imported: {'; '.join(error.messages)}") from error
        except CommandError:
            raise
        except Exception as error:  # a document the checks did not foresee: say so, roll back, never a traceback
            logger.exception("import_study: unexpected failure on %s", path)
            raise CommandError(f"{path.name}: nothing imported: this document could not be read "
                               f"({type(error).__name__}); the database is unchanged") from error
        for section in result.skipped:
            self.stdout.write(f"skipped (unsupported): {section}")
        others = f", {result.other_records} other record(s)" if result.other_records else ""
        self.stdout.write(f"{path.name}: imported {result.patients} patient(s), {result.visits} visit(s){others}")

    def _user(self, username: str | None):
        User = get_user_model()
        if username:
            try:
                return User.objects.get(username=username)
            except User.DoesNotExist as exc:
                raise CommandError(f"--user {username}: no such user") from exc
        user, created = User.objects.get_or_create(
            username=settings.IMPORT_USERNAME, defaults={"first_name": "Study", "last_name": "import"}
        )
        if created:
            user.set_unusable_password()
            user.save()
        return user
