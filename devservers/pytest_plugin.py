"""Pytest plugin (pytest.ini: `-p devservers.pytest_plugin`): puts DATABASE_URL and CELERY_BROKER_URL in place,
starting embedded servers when none is configured or answers (see devservers), before pytest-django reads the
settings — it does so in its own pytest_load_initial_conftests, so this one runs first. Everything the run
starts (live servers, Celery workers in threads or subprocesses) inherits the environment."""

import os
import signal

import pytest

import devservers

CHOICES = pytest.StashKey[list]()


@pytest.hookimpl(tryfirst=True)
def pytest_load_initial_conftests(early_config, parser, args):
    options = early_config.known_args_namespace
    if getattr(options, "help", False) or getattr(options, "version", False):
        return
    choices, servers = devservers.provide(os.environ)
    early_config.stash[CHOICES] = choices
    if servers:
        early_config.add_cleanup(servers.stop)
        for signum in (signal.SIGTERM, signal.SIGHUP):  # end like Ctrl-C: teardown, then the servers stop
            signal.signal(signum, _interrupt)


def _interrupt(signum, frame):
    raise KeyboardInterrupt(f"signal {signal.Signals(signum).name}")


def pytest_sessionstart(session):
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    if reporter and CHOICES in session.config.stash:
        for choice in session.config.stash[CHOICES]:
            reporter.write_line(f"servers: {devservers.describe(choice)}")
