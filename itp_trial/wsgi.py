import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "itp_trial.settings.local")
application = get_wsgi_application()
