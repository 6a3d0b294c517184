import pytest
from django.core.management import call_command


def run(*args, capsys):
    call_command("workdays", *args)
    out, err = capsys.readouterr()
    return out.strip(), err


@pytest.mark.django_db
def test_issue_examples(capsys):
    assert run("add", "2025-09-30", "5", capsys=capsys) == ("2025-10-14", "")
    assert run("between", "2025-09-30", "2025-10-14", capsys=capsys) == ("5", "")
    assert run("is", "2025-10-11", capsys=capsys) == ("workday", "")
    assert run("is", "2025-10-01", capsys=capsys)[0] == "holiday"
    assert run("is", "2025-10-12", capsys=capsys)[0] == "weekend"


@pytest.mark.django_db
def test_provisional_answers_warn_on_stderr(capsys):
    out, err = run("add", "2026-12-30", "5", capsys=capsys)
    assert out == "2027-01-07"
    assert "provisional" in err
