"""The candidate's countersignature binds to the sign-off her page showed: one unlocked and signed off
again while the page was open (a decision changed) is refused, with nothing recorded, and the page
shows the sign-off standing now to read. The assessor's sign-off binds to the decisions listed."""

import pytest
from django.utils import timezone

from assessments.models import Decision, SignOff
from assessments.services import decisions
from assessments.services import signoff as services
from portfolio.models import AuditEvent, Notification
from tests.assessments.unit_case import accepted_evidence, build_case, listed, meet

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed():
    case = build_case()
    meet(case, case.hsc331, [accepted_evidence(case, title="Supporting a family visit")])
    services.unit_sign_off(enrolment=case.hsc331, assessor=case.bob, declared=True)
    return case


def standing(case) -> SignOff | None:
    return SignOff.objects.filter(enrolment=case.hsc331, voided_at=None).first()


def signed_again(case) -> SignOff:
    services.unit_unlock(enrolment=case.hsc331, person=case.bob, reason="One decision cites the wrong evidence.")
    return services.unit_sign_off(enrolment=case.hsc331, assessor=case.bob, declared=True)


def recorded(case) -> tuple:
    return (
        list(SignOff.objects.filter(candidate_signed_at__isnull=False).values_list("pk", flat=True)),
        AuditEvent.objects.count(),
        Notification.objects.filter(message__contains="countersigned").count(),
    )


def url(case) -> str:
    return f"/assessments/units/{case.hsc331.pk}/countersign/"


def test_a_countersignature_of_a_sign_off_replaced_meanwhile_is_refused(client, signed):
    client.force_login(signed.alice)
    read = standing(signed)
    assert f'name="sign_off" value="{read.pk}"' in client.get(url(signed)).content.decode()
    now = signed_again(signed)
    before = recorded(signed)

    response = client.post(url(signed), {"declared": "on", "sign_off": read.pk})

    assert response.status_code == 400
    page = response.content.decode()
    assert "The unit changed while you had the page open: Bob Baker signed it off again on" in page
    assert "Nothing was recorded; read it again." in page
    assert recorded(signed) == before
    assert standing(signed).candidate_signed_at is None
    # The page shows the sign-off standing now; its form speaks of that one, to be declared afresh.
    assert f'name="sign_off" value="{now.pk}"' in page
    assert 'name="declared"' in page and 'checked' not in page.split('name="declared"', 1)[1].split(">", 1)[0]

    response = client.post(url(signed), {"declared": "on", "sign_off": now.pk})

    assert response.status_code == 302
    assert standing(signed).candidate_signed_at is not None


def test_a_countersignature_of_a_sign_off_unlocked_meanwhile_is_refused(client, signed):
    client.force_login(signed.alice)
    read = standing(signed)
    services.unit_unlock(enrolment=signed.hsc331, person=signed.bob, reason="One decision cites the wrong evidence.")
    before = recorded(signed)

    response = client.post(url(signed), {"declared": "on", "sign_off": read.pk})

    assert response.status_code == 400
    assert "The unit changed while you had the page open: its sign-off has been voided by unlocking." in (
        response.content.decode()
    )
    assert recorded(signed) == before


def test_a_countersignature_naming_no_sign_off_is_refused(client, signed):
    client.force_login(signed.alice)
    before = recorded(signed)

    response = client.post(url(signed), {"declared": "on"})

    assert response.status_code == 400
    assert "The unit changed while you had the page open" in response.content.decode()
    assert recorded(signed) == before


def test_the_service_refuses_a_sign_off_other_than_the_one_seen(signed):
    read = standing(signed)
    signed_again(signed)

    with pytest.raises(services.PortfolioError, match="changed while you had the page open"):
        services.unit_countersign(enrolment=signed.hsc331, candidate=signed.alice, declared=True, seen_sign_off_id=read.pk)
    assert standing(signed).candidate_signed_at is None


# The assessor's own sign-off binds to the standing decisions the page listed.


@pytest.fixture
def ready():
    case = build_case()
    meet(case, case.hsc331, [accepted_evidence(case, title="Supporting a family visit")])
    return case


def test_a_sign_off_of_decisions_changed_meanwhile_is_refused(client, ready):
    client.force_login(ready.bob)
    url = f"/assessments/units/{ready.hsc331.pk}/sign-off/"
    read = listed(ready.hsc331)
    assert f'name="decisions" value="{read["decisions"]}"' in client.get(url).content.decode()
    changed = Decision.objects.standing().filter(enrolment=ready.hsc331).first()
    decisions.decision_withdraw(decision=changed, assessor=ready.bob, reason="Cites the wrong day.")
    decisions.decision_record(
        enrolment=ready.hsc331, assessor=ready.bob, criterion=changed.criterion, knowledge_item=changed.knowledge_item,
        evidence=list(changed.evidence.all()), decided_on=timezone.localdate(),
    )
    events = AuditEvent.objects.count()

    response = client.post(url, {"declared": "on", **read})

    assert response.status_code == 400
    page = response.content.decode()
    assert "The unit changed while you had the page open: a decision on it was recorded or withdrawn since." in page
    assert not SignOff.objects.exists() and AuditEvent.objects.count() == events
    now = listed(ready.hsc331)
    assert f'name="decisions" value="{now["decisions"]}"' in page

    response = client.post(url, {"declared": "on", **now})

    assert response.status_code == 302
    assert standing(ready) is not None
