"""Chinese search over the catalogue: the query is segmented with jieba, every word must match; on PostgreSQL the
results are ranked by trigram word similarity of the name (pg_trgm, GIN index; works for CJK under a UTF-8 ctype)."""
import logging
import re

from django.db import connection
from django.db.models import Q, QuerySet

_jieba = None


def _segment(text: str) -> list[str]:
    global _jieba
    if _jieba is None:
        import jieba

        jieba.setLogLevel(logging.WARNING)
        _jieba = jieba
    words = []
    for part in text.split():
        if re.fullmatch(r"[\w-]+", part, flags=re.ASCII):
            words.append(part)  # codes and Latin words stay whole
            continue
        pieces = [w.strip() for w in _jieba.cut(part) if w.strip()]
        long_pieces = [w for w in pieces if len(w) > 1]
        words.extend(long_pieces or pieces)
    return list(dict.fromkeys(words))


def search_service_items(queryset: QuerySet, text: str) -> QuerySet:
    words = _segment(text.strip())
    for word in words:
        queryset = queryset.filter(Q(name__icontains=word) | Q(code__iexact=word)
                                   | Q(department__name__icontains=word) | Q(acceptance_conditions__icontains=word))
    if connection.vendor == "postgresql" and words:
        from django.contrib.postgres.search import TrigramWordSimilarity

        queryset = queryset.annotate(rank=TrigramWordSimilarity(text.strip(), "name")).order_by("-rank", "code")
    return queryset
