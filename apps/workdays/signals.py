from django.dispatch import Signal

# Sent after commit when an operator enters or changes an official year, with ``year``. Apps whose deadlines rest
# on the calendar (deadlines marked provisional) listen and enqueue their recomputation.
calendar_year_changed = Signal()
