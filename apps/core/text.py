"""Chinese text helpers shared by the services' searches (PostgreSQL's parsers do not split Chinese: CONVENTIONS 10)."""
import logging
import re

_jieba = None


def _jieba_module():
    global _jieba
    if _jieba is None:
        import jieba

        jieba.setLogLevel(logging.WARNING)
        _jieba = jieba
    return _jieba


def segment(text: str) -> list[str]:
    """The words of a search query: codes and Latin words whole, Chinese cut by jieba, one-character pieces dropped
    when longer words exist. Order kept, no repeats."""
    words = []
    for part in text.split():
        if re.fullmatch(r"[\w-]+", part, flags=re.ASCII):
            words.append(part)
            continue
        pieces = [w.strip() for w in _jieba_module().cut(part) if w.strip()]
        long_pieces = [w for w in pieces if len(w) > 1]
        words.extend(long_pieces or pieces)
    return list(dict.fromkeys(words))


def index_tokens(*texts: str) -> str:
    """Space-separated tokens to store for a ``simple`` full-text index: jieba's search mode (a long word and its
    sub-words) so that a query segmented by ``segment`` finds it."""
    tokens = []
    for text in texts:
        for piece in _jieba_module().cut_for_search(text or ""):
            piece = piece.strip().lower()
            if piece and re.search(r"\w", piece):
                tokens.append(piece)
    return " ".join(dict.fromkeys(tokens))


def words_query(words: list[str]):
    """PostgreSQL: a ``simple`` full-text query requiring every word (the stored vectors hold jieba tokens)."""
    from django.contrib.postgres.search import SearchQuery

    query = None
    for word in words:
        part = SearchQuery(word.lower(), config="simple", search_type="plain")
        query = part if query is None else query & part
    return query
