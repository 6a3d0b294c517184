from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from . import selectors, services


@login_required
def inbox(request):
    page = Paginator(selectors.notification_list(user=request.user), 20).get_page(request.GET.get("page"))
    return render(request, "notifications/inbox.html", {"page": page})


@require_POST
@login_required
def mark_read(request, pk):
    services.notification_mark_read(user=request.user, notification_id=pk)
    return redirect("notifications:inbox")


@require_POST
@login_required
def mark_all_read(request):
    services.notification_mark_all_read(user=request.user)
    return redirect("notifications:inbox")
