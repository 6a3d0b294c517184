import datetime

from django.core.management.base import BaseCommand, CommandError

from apps.workdays import selectors


def _date(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"not a date (YYYY-MM-DD): {value}") from None


class Command(BaseCommand):
    help = "Working-day calendar: add N working days, count working days between two dates, or classify a date."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        add = sub.add_parser("add", help="the date N working days after DATE")
        add.add_argument("date", type=_date)
        add.add_argument("days", type=int)
        between = sub.add_parser("between", help="working days after START up to and including END")
        between.add_argument("start", type=_date)
        between.add_argument("end", type=_date)
        is_ = sub.add_parser("is", help="workday, holiday or weekend")
        is_.add_argument("date", type=_date)

    def handle(self, *args, action, **options):
        if action == "add":
            answer = selectors.workdays_add(start=options["date"], days=options["days"])
            value, provisional = answer.value.isoformat(), answer.provisional
        elif action == "between":
            answer = selectors.workdays_between(start=options["start"], end=options["end"])
            value, provisional = str(answer.value), answer.provisional
        else:
            info = selectors.day_info(date=options["date"])
            value, provisional = str(info.kind), info.provisional
        self.stdout.write(value)
        if provisional:
            self.stderr.write(
                "warning: rests on a provisional year (no official holiday notice entered); "
                "computed from the statutory holiday rules"
            )
