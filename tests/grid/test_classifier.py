"""The learning classifier (issue 17 item 6, ADR 0010): trained on closed cases' final categories, measured on the last
month, suggesting and — above the threshold — dispatching a report without the dispatcher."""
import pytest
from django.urls import reverse

from apps.grid import classifier, selectors, services
from apps.grid.constants import Status, SuggestionSource
from apps.grid.models import CaseCategory, CategoryModel, GridCase
from apps.grid.tasks import category_model_train_task
from apps.workflow.models import TimelineEntry
from apps.workflow.services import transition_perform

from .classifier_data import closed_cases
from .factories import load_people, load_world, png

pytestmark = pytest.mark.django_db

GARBAGE_TEXT = "小区门口塑料袋和剩饭撒了一地，好几天了"


@pytest.fixture
def world(db, settings):
    settings.GRID_CLASSIFIER_MIN_CASES = 200
    settings.GRID_AUTO_DISPATCH_CONFIDENCE = 0.85
    return load_people(load_world())


@pytest.fixture
def trained(world):
    closed_cases()
    return services.category_model_train()


def test_the_model_beats_the_keyword_rules_on_the_last_month(trained):
    assert trained.version == 1 and trained.n_cases == 350
    assert 0 < trained.held_out_cases < 350
    # Measured on cases closed in the last 30 days, which the measured fit never saw. The keyword rules know only the
    # first two phrasings of each category (and 垃圾 also names other categories).
    assert trained.held_out_accuracy >= 0.9
    assert trained.held_out_accuracy > trained.keyword_accuracy + 0.2
    assert trained.category_counts == {str(c.pk): 70 for c in CaseCategory.objects.filter(
        code__in=["1101", "1301", "1204", "1201", "1304"])}


def test_the_stored_json_answers_as_scikit_learn_does(world):
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    closed_cases(per_category=20)
    labels = list(GridCase.objects.order_by("pk").values_list("category_id", flat=True))
    texts = list(GridCase.objects.order_by("pk").values_list("description", flat=True))
    compiled = classifier.Compiled(classifier.fit(texts=texts, labels=labels, max_words=5000))
    vectorizer = TfidfVectorizer(analyzer=classifier.tokens, max_features=5000, sublinear_tf=True)
    reference = LogisticRegression(C=10.0, max_iter=1000).fit(vectorizer.fit_transform(texts), labels)
    for text in [GARBAGE_TEXT, "井盖不见了", "完全无关的句子"]:
        expected = dict(zip(reference.classes_, reference.predict_proba(vectorizer.transform([text]))[0]))
        got = compiled.probabilities(text)
        assert all(abs(got[c] - expected[c]) < 1e-4 for c in expected)


def test_without_a_model_the_keyword_rules_suggest_as_before(world):
    category, confidence, source = selectors.category_suggest_for_report(text="路边井盖丢失了，很危险")
    assert (category.code, source) == ("1301", SuggestionSource.KEYWORDS)
    assert (category, confidence) == selectors.category_suggest(text="路边井盖丢失了，很危险")


def test_a_model_on_too_few_cases_is_not_used(world, settings):
    closed_cases(per_category=10)
    model = services.category_model_train()
    assert model.n_cases == 50
    assert selectors.category_suggest_for_report(text="路边井盖丢失了")[2] == SuggestionSource.KEYWORDS


def report(client, world, text):
    client.force_login(world["citizen"])
    response = client.post(reverse("grid:report"), {"description": text, "lat": "41.105", "lng": "122.005",
                                                    "photos": [png()]})
    assert response.status_code == 302, response.content.decode()[:2000]
    return GridCase.objects.exclude(number__startswith="WGT").get(description=text)


def test_above_the_threshold_a_photo_report_is_dispatched_with_no_click(client, trained, world):
    case = report(client, world, GARBAGE_TEXT)
    assert case.suggestion_source == SuggestionSource.MODEL and case.suggestion_confidence >= 0.85
    assert case.status == Status.DISPATCHED
    assert case.category.code == "1101" and case.department.code == "xinglongtai-urban-management"
    assert case.current_deadline.stage == "handle"
    steps = list(TimelineEntry.objects.filter(object_id=str(case.pk), kind="transition").order_by("pk")
                 .values_list("transition", "actor"))
    assert steps == [("report", world["citizen"].pk), ("register_auto", None), ("dispatch_auto", None)]
    # The handler is told, as after the dispatcher's button.
    assert world["handler"].notifications.filter(title__contains=case.number).exists()


def test_below_the_threshold_the_report_waits_for_the_dispatcher(client, trained, world, settings):
    settings.GRID_AUTO_DISPATCH_CONFIDENCE = 0.999
    case = report(client, world, GARBAGE_TEXT)
    assert case.status == Status.REPORTED and case.category is None
    assert case.suggested_category.code == "1101" and case.suggestion_source == SuggestionSource.MODEL
    assert case.suggestion_confidence < 0.999
    # The dispatcher sees the suggestion on the case page.
    client.force_login(world["dispatcher"])
    page = client.get(reverse("admin:grid_gridcase_change", args=[case.pk])).content.decode()
    assert "暴露垃圾" in page and "学习模型" in page


def test_a_possible_duplicate_waits_for_the_dispatcher_whatever_the_confidence(client, trained, world):
    first = report(client, world, GARBAGE_TEXT)
    second = report(client, world, GARBAGE_TEXT + "，还是没人管")
    assert first.status == Status.DISPATCHED
    assert second.duplicate_of == first and second.status == Status.REPORTED


def test_the_dispatchers_corrections_change_the_next_models_answer(trained, world):
    text = "楼道里电动车飞线充电很危险"
    before, _p, _s = selectors.category_suggest_for_report(text=text)
    assert before.code != "1203"
    clutter = CaseCategory.objects.get(code="1203")  # 乱堆物料 → 兴隆台区城管 (the handler's department)
    for i in range(6):
        case = services.case_report(channel="photo", description=f"{text}（{i}号楼）", lat=41.101 + i * 0.001,
                                    lng=122.005, reporter=world["citizen"])
        assert case.status == Status.REPORTED  # not sure enough: it waits
        case = transition_perform(actor=world["dispatcher"], obj=case, name="register",
                                  params=services.Registration(category=clutter))
        case = transition_perform(actor=world["handler"], obj=case, name="handle",
                                  params=services.Handling(result="已清理飞线"))
        transition_perform(actor=world["member"], obj=case, name="verify_fixed")
    assert category_model_train_task() == 2
    after, probability, source = selectors.category_suggest_for_report(text=text)
    assert (after.code, source) == ("1203", SuggestionSource.MODEL)


def test_the_task_is_idempotent(trained, world):
    assert category_model_train_task() == trained.version
    assert category_model_train_task() == trained.version
    assert CategoryModel.objects.count() == 1
    closed_cases(per_category=1, seed=99)
    assert category_model_train_task() == trained.version + 1


def test_nothing_to_learn_without_two_categories(world):
    assert services.category_model_train() is None and not CategoryModel.objects.exists()


def test_a_damaged_model_loses_no_report(client, trained, world):
    CategoryModel.objects.filter(pk=trained.pk).update(weights={"vocabulary": {}, "classes": [1]})
    selectors._compiled.clear()
    case = report(client, world, GARBAGE_TEXT)
    assert case.status == Status.REPORTED and case.suggestion_source in ("", SuggestionSource.KEYWORDS)
