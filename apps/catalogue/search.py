"""Chinese search over the catalogue: the query is segmented with jieba, every word must match; on PostgreSQL the
results are ranked by trigram word similarity of the name (pg_trgm, GIN index; works for CJK under a UTF-8 ctype)."""
from django.db import connection
from django.db.models import Q, QuerySet

from apps.core.text import segment as _segment


def search_service_items(queryset: QuerySet, text: str) -> QuerySet:
    words = _segment(text.strip())
    for word in words:
        queryset = queryset.filter(Q(name__icontains=word) | Q(code__iexact=word)
                                   | Q(department__name__icontains=word) | Q(acceptance_conditions__icontains=word))
    if connection.vendor == "postgresql" and words:
        from django.contrib.postgres.search import TrigramWordSimilarity

        queryset = queryset.annotate(rank=TrigramWordSimilarity(text.strip(), "name")).order_by("-rank", "code")
    return queryset
