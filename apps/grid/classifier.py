"""The learning classifier's arithmetic (ADR 0010): words of a report, fitting a model, asking it.

Fitting uses scikit-learn (TF-IDF over jieba's words, multinomial logistic regression) and runs only in the training
service. What is stored is plain JSON — the vocabulary, the idf weights, the classes and the coefficients — and asking
the model is a dot product and a softmax in numpy: no pickle is ever loaded, so a row of the table cannot run code,
and the web process does not import scikit-learn.
"""
import math
import re

from apps.core.text import _jieba_module

# Punctuation, digits and spaces say nothing about the category.
_NOISE = re.compile(r"^[\W\d_]+$")


def tokens(text: str) -> list[str]:
    """The words of a report as jieba cuts them (with repeats: a word said twice weighs more), noise dropped."""
    return [w for w in (w.strip() for w in _jieba_module().lcut(text or "")) if w and not _NOISE.match(w)]


def _given(words: list[str]) -> list[str]:
    return words


def fit(*, texts: list[str] | None = None, labels: list[int], max_words: int,
        words: list[list[str]] | None = None) -> dict:
    """Fit on ``texts`` (or their ``words``, cut once by the caller) → ``labels`` (category ids, at least two
    distinct); the weights as JSON-ready data."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    if words is None:
        words = [tokens(text) for text in texts]
    vectorizer = TfidfVectorizer(analyzer=_given, max_features=max_words, sublinear_tf=True)
    matrix = vectorizer.fit_transform(words)
    # C=10: the texts are short, so a weaker penalty than the default lets the few telling words count.
    model = LogisticRegression(C=10.0, max_iter=1000)
    model.fit(matrix, labels)
    coef = model.coef_
    intercept = model.intercept_
    if len(model.classes_) == 2:
        # Two classes: scikit-learn keeps one row (the second class's log-odds z); softmax over (-z/2, z/2) is the
        # same sigmoid, so that one formula reads every model.
        coef = [(-coef[0] / 2), (coef[0] / 2)]
        intercept = [-intercept[0] / 2, intercept[0] / 2]
    vocabulary = {word: int(index) for word, index in vectorizer.vocabulary_.items()}
    return {
        "format": 1,
        "vocabulary": vocabulary,
        "idf": [round(float(v), 6) for v in vectorizer.idf_],
        "classes": [int(c) for c in model.classes_],
        "coef": [[round(float(v), 6) for v in row] for row in coef],
        "intercept": [round(float(v), 6) for v in intercept],
    }


class Compiled:
    """A stored model ready to answer: numpy arrays built once per process and model version."""

    def __init__(self, weights: dict):
        import numpy as np

        self.np = np
        self.vocabulary = weights["vocabulary"]
        self.idf = np.asarray(weights["idf"], dtype=float)
        self.classes = list(weights["classes"])
        self.coef = np.asarray(weights["coef"], dtype=float)
        self.intercept = np.asarray(weights["intercept"], dtype=float)

    def probabilities(self, text: str, *, words: list[str] | None = None) -> dict[int, float]:
        """Category id → probability for ``text`` (or its ``words``): what scikit-learn's predict_proba says,
        computed here."""
        np = self.np
        counts = {}
        for word in (tokens(text) if words is None else words):
            index = self.vocabulary.get(word)
            if index is not None:
                counts[index] = counts.get(index, 0) + 1
        scores = self.intercept.copy()
        if counts:
            indices = np.fromiter(counts, dtype=int)
            values = np.asarray([1 + math.log(counts[i]) for i in counts]) * self.idf[indices]
            values /= np.linalg.norm(values)
            scores = scores + self.coef[:, indices] @ values
        scores = np.exp(scores - scores.max())
        scores /= scores.sum()
        return {category: float(p) for category, p in zip(self.classes, scores)}
