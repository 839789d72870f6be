"""The study's clock: "today" and "now" are the study site's, in settings.TIME_ZONE (default Asia/Shanghai).

Stored timestamps stay UTC (USE_TZ); every rule that asks "what day is it?" (future dates, due and overdue,
reminders, the daily scan) asks here, so a visit entered at 07:30 Beijing time on its own date is dated today,
whatever zone a request or a worker happens to have activated.
"""

from datetime import date, datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone


def study_zone() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def study_now() -> datetime:
    """The current moment as an aware datetime in the study's zone."""
    return timezone.localtime(timezone.now(), study_zone())


def study_today() -> date:
    """The study's date now: the calendar date at the study site."""
    return timezone.localdate(timezone.now(), study_zone())


def study_date(moment: datetime) -> date:
    """The study's date of a stored (aware) timestamp, e.g. the day a signature was given."""
    return timezone.localtime(moment, study_zone()).date()


def moment_text(moment: datetime | None) -> str:
    """A stored timestamp as the study site reads it, with its offset: "2026-11-30 16:15 UTC+8" ("" for None).

    Pages show times in the study's zone; the offset says so, so an audit line is never read as UTC by mistake.
    """
    if moment is None:
        return ""
    local = timezone.localtime(moment, study_zone())
    offset = local.utcoffset()
    minutes = int(offset.total_seconds() // 60) if offset else 0
    sign = "+" if minutes >= 0 else "-"
    hours, rest = divmod(abs(minutes), 60)
    zone = "UTC" if minutes == 0 else f"UTC{sign}{hours}" + (f":{rest:02d}" if rest else "")
    return f"{local:%Y-%m-%d %H:%M} {zone}"
