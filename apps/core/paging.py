"""A paginator for public searches over big tables: the count is capped (CONVENTIONS 9), so that a broad filter
costs a bounded COUNT; past the cap the page says “more than N” and asks for a narrower search."""
from functools import cached_property

from django.core.paginator import Paginator

from .dashboard import capped_count

SEARCH_COUNT_CAP = 1000


class CappedPaginator(Paginator):
    cap = SEARCH_COUNT_CAP

    @cached_property
    def count(self):
        return min(capped_count(self.object_list, self.cap), self.cap + 1)

    @property
    def capped(self) -> bool:
        """More rows match than are counted: only the first ``cap`` can be paged through."""
        return self.count > self.cap

    @cached_property
    def num_pages(self):
        # The pages reach the cap, not past it.
        return super().num_pages if not self.capped else -(-self.cap // self.per_page)
