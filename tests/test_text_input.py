"""What people type is cleaned by one rule (portfolio/text_input.py): a single-line field keeps no line
break and no control or format character; a multi-line field keeps its lines and tabs and loses the
other control characters and the bidirectional overrides. Every form of every app uses it, and the
hostile tester's inputs (a title that adds a "Bcc:" line to an email, a witness's name on two lines,
a comment carrying \\x01, an escape sequence and U+202E) arrive clean."""

import ast
import importlib
import inspect
import pkgutil
from pathlib import Path

import pytest
from django import forms
from django.core import mail

from assessments.models import EvidenceComment, TestimonyRequest
from portfolio.models import Evidence
from portfolio.text_input import EmailAddressField, LineField, ParagraphsField, one_line, paragraphs
from standards.models import Criterion
from tests.assessments.judging_people import submitted
from tests.portfolio.test_evidence import form_fields, map_to

ROOT = Path(__file__).resolve().parent.parent
FORM_PACKAGES = ["portfolio.forms", "assessments.forms", "exports.forms"]

# Typed but never saved nor sent anywhere, and Django's own: the sign-in's address only looks a
# person up, and the reset form mails the address on the person's record, not the one typed.
NOT_KEPT = {("SignInForm", "username"), ("PasswordResetByEmailForm", "email")}

HOSTILE_TITLE = "HX crlf\r\nBcc: evil@example.com"
RLO = "\u202e"


# The rule itself.


@pytest.mark.parametrize("typed, kept", [
    (HOSTILE_TITLE, "HX crlf Bcc: evil@example.com"),
    ("Wendy\nWalsh", "Wendy Walsh"),
    ("Wendy\rWalsh\u2028x", "Wendy Walsh x"),
    ("tab\there", "tab here"),
    (f"report{RLO}fdp.exe", "reportfdp.exe"),
    ("\x1b[31mred\x1b[0m \x01bell\x7f", "[31mred[0m bell"),
    ("zero\u200bwidth\u2066isolate\u2069", "zerowidthisolate"),
    ("Zoë O’Brien-Łukasz 李", "Zoë O’Brien-Łukasz 李"),
])
def test_a_single_line_keeps_no_break_and_no_control_character(typed, kept):
    assert one_line(typed) == kept


@pytest.mark.parametrize("typed, kept", [
    ("First line\r\nsecond\rthird\n\tindented", "First line\nsecond\nthird\n\tindented"),
    (f"\x01ring \x1b[2Jclear {RLO}evil\u202a\u2066 done", "ring [2Jclear evil done"),
    ("family \U0001f468\u200d\U0001f469\u200d\U0001f467 and soft\u00adhyphen", "family \U0001f468\u200d\U0001f469\u200d\U0001f467 and soft\u00adhyphen"),
    ("page\x0cbreak", "page\nbreak"),
])
def test_several_lines_keep_their_breaks_and_tabs_and_lose_other_controls(typed, kept):
    assert paragraphs(typed) == kept


def test_a_field_left_with_nothing_after_cleaning_is_required_like_an_empty_one():
    field = LineField(max_length=10)
    with pytest.raises(forms.ValidationError, match="This field is required"):
        field.clean(f"\r\n{RLO}\x01")
    assert LineField(max_length=10).clean(f" \x01Day centre{RLO} ") == "Day centre"


# Every form uses it.


def _form_classes() -> list[type[forms.BaseForm]]:
    found = []
    for package_name in FORM_PACKAGES:
        package = importlib.import_module(package_name)
        for module_info in pkgutil.iter_modules(package.__path__):
            module = importlib.import_module(f"{package_name}.{module_info.name}")
            found += [
                value for value in vars(module).values()
                if inspect.isclass(value) and issubclass(value, forms.BaseForm) and value.__module__ == module.__name__
            ]
    return found


def test_the_walk_finds_the_forms_people_type_in():
    names = {form.__name__ for form in _form_classes()}
    assert {"EvidenceForm", "TestimonyRequestForm", "TestimonyForm", "CommentForm", "PersonAddForm"} <= names


def test_every_text_field_of_every_form_cleans_what_is_typed():
    wrong = []
    for form in _form_classes():
        for name, field in form.base_fields.items():
            if not isinstance(field, forms.CharField) or (form.__name__, name) in NOT_KEPT:
                continue
            if isinstance(field.widget, forms.PasswordInput):
                continue  # a password is checked as typed, never shown
            if not isinstance(field, LineField | EmailAddressField | ParagraphsField):
                wrong.append(f"{form.__module__}.{form.__name__}.{name} is a {type(field).__name__}")
            elif isinstance(field.widget, forms.Textarea) != isinstance(field, ParagraphsField):
                wrong.append(f"{form.__name__}.{name}: a text box of several lines is a ParagraphsField, one line a LineField")
    assert wrong == [], "Text fields that skip portfolio/text_input.py's rule:\n" + "\n".join(wrong)


def test_no_form_adds_a_plain_text_field_when_it_is_made():
    """Fields added in a form's __init__ (a note per item, a reason per scope category) are not in
    base_fields: the source is read for Django's own text fields instead."""
    plain = {"CharField", "EmailField", "SlugField", "URLField", "RegexField", "UUIDField"}
    wrong = []
    for package_name in FORM_PACKAGES:
        for path in sorted((ROOT / package_name.replace(".", "/")).glob("*.py")):
            for node in ast.walk(ast.parse(path.read_text())):
                if isinstance(node, ast.Attribute) and node.attr in plain:
                    wrong.append(f"{path.relative_to(ROOT)}:{node.lineno} forms.{node.attr}")
    assert wrong == [], "Use LineField, EmailAddressField or ParagraphsField (portfolio/text_input.py):\n" + "\n".join(wrong)


# What the hostile tester sent.


@pytest.mark.django_db
def test_an_evidence_title_with_a_line_break_reaches_the_assessors_email_on_one_line(
    client, alice, bob, hsc331, django_capture_on_commit_callbacks
):
    client.force_login(alice)
    response = client.post("/portfolio/evidence/new/", form_fields(title=HOSTILE_TITLE, location=f"Day{RLO} centre\n"))
    assert response.status_code == 302
    evidence = Evidence.objects.get()
    assert (evidence.title, evidence.location) == ("HX crlf Bcc: evil@example.com", "Day centre")
    map_to(evidence, alice, ["HSC331a.1"])
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/portfolio/evidence/{evidence.pk}/submit/", {"declared": "on"})

    bodies = [message.body for message in mail.outbox]
    assert any("HX crlf Bcc: evil@example.com" in body for body in bodies), bodies
    assert not any(line.startswith("Bcc:") for body in bodies for line in body.splitlines())


@pytest.mark.django_db
def test_a_witness_name_on_two_lines_is_kept_and_emailed_on_one(client, alice, hsc331):
    client.force_login(alice)
    criterion = Criterion.objects.get(reference="HSC331a.1")
    response = client.post(
        f"/assessments/units/{hsc331.pk}/testimony/new/",
        {"witness_name": "Wendy\r\nBcc: evil@example.com", "witness_email": " wendy@care.example.org\r\n",
         "criteria": [criterion.pk]},
    )
    assert response.status_code == 302
    assert TestimonyRequest.objects.get().witness_name == "Wendy Bcc: evil@example.com"
    assert [message.to for message in mail.outbox] == [["wendy@care.example.org"]]
    assert not any(line.startswith("Bcc:") for line in mail.outbox[0].body.splitlines())


@pytest.mark.django_db
def test_a_comment_keeps_its_lines_and_loses_escapes_and_the_right_to_left_override(client, people, alice, hsc331):
    evidence = submitted(alice, hsc331)
    client.force_login(alice)
    client.post(f"/assessments/evidence/{evidence.pk}/comments/",
                {"text": f"Is the\r\ndate right?\x01 \x1b[2J{RLO}gnp.exe\tok"})
    assert EvidenceComment.objects.get().text == "Is the\ndate right? [2Jgnp.exe\tok"
