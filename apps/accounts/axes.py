"""django-axes, counted per (account, client address) and per client address (issue 14, docs/security.md).

``AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address"]``: the first set is the pair, the second the
address over every account. Five wrong passwords for one account lock only that pair — the real user behind another
address, or behind the same proxy with another address, still logs in — and ``AXES_ADDRESS_FAILURE_LIMIT`` failures
from one address over many accounts (one password sprayed across them) lock the address. A successful login clears its
own pair only, so an attacker cannot clear the address's count by logging into an account of their own."""
from django.conf import settings
from django.db.models import Sum

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_failure_limit


def _sum(attempts) -> int:
    return attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0


class AccountAndAddressHandler(AxesDatabaseHandler):
    def get_failures(self, request, credentials=None) -> int:
        """The pair's failures; at the account limit when the address has reached its own, larger limit."""
        pair, address = self.get_user_attempts(request, credentials)[:2]
        failures = _sum(pair)
        if _sum(address) >= settings.AXES_ADDRESS_FAILURE_LIMIT:
            return max(failures, get_failure_limit(request, credentials))
        return failures

    def reset_user_attempts(self, request, credentials=None) -> int:
        pair = self.filter_user_attempts(request, credentials)[0]
        count, _ = pair.delete()
        return count


def lockout_response(request, original_response=None, credentials=None):
    """django-axes' lockout page (AXES_LOCKOUT_TEMPLATE, 429) with ``Retry-After``, as every throttle answers."""
    from axes.helpers import get_cool_off, get_failure_limit
    from django.conf import settings
    from django.shortcuts import render

    cool_off = get_cool_off(request)
    context = {"failure_limit": get_failure_limit(request, credentials), "cooloff_timedelta": cool_off}
    response = render(request, settings.AXES_LOCKOUT_TEMPLATE, context, status=429)
    if cool_off:
        response["Retry-After"] = str(int(cool_off.total_seconds()))
    return response
