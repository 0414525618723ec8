"""The people on a case changed in the database (an outside trial moved Alice's unit to Erin in SQL,
and Erin could then read Alice's evidence): the case is sealed as the portfolio put people on it
(`portfolio.case_seals`), checked on every request for the cases that let the person in, by the
fixity check, and after a restore. Only the centre's administrators are let in to a changed case,
and told which column changed and what the portfolio made it.

Alice is on HSC331 and H3 25 (Bob assesses, Carol quality-assures); Erin assesses Dave's unit."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from portfolio import case_seals, services_enrolments
from portfolio.case_sealing import holds
from portfolio.errors import PortfolioError
from portfolio.models import AuditEvent, Enrolment, Notification
from tests.assessments.judging_people import submitted
from tests.factories import put_on_case

pytestmark = pytest.mark.django_db


def _moved_in_sql(enrolment: Enrolment, **columns) -> None:
    """What an insider with the database does: the row changed, no save, no seal."""
    Enrolment.objects.filter(pk=enrolment.pk).update(**columns)


def _get(client, person, url):
    client.force_login(person)
    return client.get(url)


def test_a_unit_moved_to_another_assessor_in_sql_lets_them_read_nothing(client, alice, erin, hsc331, h3_25):
    item = submitted(alice, h3_25, title="Agreeing contact", criteria=("H3 25.1",))
    file_url = reverse("assessments:evidence_detail", args=[item.pk])
    _moved_in_sql(h3_25, assessor=erin)
    unit = _get(client, erin, reverse("assessments:enrolment_detail", args=[h3_25.pk]))
    assert unit.status_code == 404
    assert client.get(file_url).status_code == 404
    home = client.get("/").content.decode()
    assert "Alice" not in home  # nor listed on her home
    assert Enrolment.objects.get(pk=h3_25.pk).case_seal_broken_at is not None


def test_the_first_request_after_the_change_already_keeps_them_out_of_every_list(client, alice, erin, h3_25):
    submitted(alice, h3_25, title="Agreeing contact", criteria=("H3 25.1",))
    _moved_in_sql(h3_25, assessor=erin)
    home = _get(client, erin, "/").content.decode()
    assert "Alice Adams" not in home and "Agreeing contact" not in home


def test_a_unit_moved_to_another_candidate_is_not_theirs(client, dave, h3_25):
    _moved_in_sql(h3_25, candidate=dave)
    assert _get(client, dave, reverse("assessments:enrolment_detail", args=[h3_25.pk])).status_code == 404


def test_the_administrators_are_told_which_column_changed_and_what_the_portfolio_made_it(client, grace, erin, h3_25):
    _moved_in_sql(h3_25, assessor=erin)
    page = _get(client, grace, reverse("assessments:enrolment_detail", args=[h3_25.pk])).content.decode()
    assert "The people on this unit were changed outside the portfolio." in page
    assert "The portfolio made Bob Baker its assessor; the database now names Erin Evans." in page
    told = Notification.objects.filter(recipient=grace, message__contains="changed outside the portfolio")
    assert told.count() == 1
    assert not Notification.objects.filter(recipient=erin, message__contains="changed outside the portfolio").exists()
    event = AuditEvent.objects.get(action="portfolio.enrolment.case_changed", enrolment=h3_25)
    assert "its assessor" in event.after["changed"]
    _get(client, grace, reverse("assessments:enrolment_detail", args=[h3_25.pk]))
    assert told.count() == 1  # told once


def test_a_changed_case_refuses_every_change_until_it_is_put_back(client, grace, bob, erin, ivan, h3_25):
    _moved_in_sql(h3_25, iqa=ivan)
    with pytest.raises(PortfolioError, match="changed outside the portfolio"):
        services_enrolments.enrolment_reassign(
            enrolment=h3_25, role="assessor", person=erin, reason="Rota", changed_by=grace
        )
    page = _get(client, grace, reverse("portfolio:enrolment_manage", args=[h3_25.pk])).content.decode()
    assert page.count("were changed outside the portfolio") == 1
    assert Enrolment.objects.get(pk=h3_25.pk).assessor == bob  # nothing changed
    assert not holds(Enrolment.objects.get(pk=h3_25.pk))  # a refused save made nothing good


def test_a_product_save_never_makes_a_hand_edit_good(erin, h3_25):
    _moved_in_sql(h3_25, assessor=erin)
    enrolment = Enrolment.objects.get(pk=h3_25.pk)
    enrolment.registration_number = "AB123"
    enrolment.save()
    enrolment.target_date = enrolment.target_date
    enrolment.save(update_fields=["target_date", "assessor"])
    assert not holds(Enrolment.objects.get(pk=h3_25.pk))


def test_a_reassignment_in_the_portfolio_seals_the_new_case(client, grace, erin, h3_25):
    services_enrolments.enrolment_reassign(enrolment=h3_25, role="assessor", person=erin, reason="Rota", changed_by=grace)
    assert holds(Enrolment.objects.get(pk=h3_25.pk))
    assert _get(client, erin, reverse("assessments:enrolment_detail", args=[h3_25.pk])).status_code == 200


def test_the_fixity_check_names_the_case_and_says_how_to_put_it_back(bob, erin, h3_25):
    _moved_in_sql(h3_25, assessor=erin)
    with pytest.raises(CommandError, match="1 unit has people on it not as the portfolio put them"):
        call_command("check_fixity", "--now", stdout=(out := io.StringIO()))
    said = out.getvalue()
    assert (f"CASE CHANGED: H3 25 of Alice Adams (enrolment {h3_25.pk}): the portfolio made Bob Baker its assessor; the "
            "database now names Erin Evans. To put it back: ") in said
    assert f"portfolio_enrolment SET assessor_id = {bob.pk} WHERE id = {h3_25.pk};" in said
    _moved_in_sql(h3_25, assessor=bob)
    call_command("check_fixity", "--now", stdout=io.StringIO())
    assert Enrolment.objects.get(pk=h3_25.pk).case_seal_broken_at is None


def test_put_back_as_the_portfolio_made_it_it_opens_at_the_next_request_and_says_so(client, grace, bob, erin, h3_25):
    _moved_in_sql(h3_25, assessor=erin)
    assert _get(client, bob, "/").status_code == 200  # Erin's request would mark it as well as Bob's
    case_seals.check_every_enrolment()
    assert _get(client, bob, reverse("assessments:enrolment_detail", args=[h3_25.pk])).status_code == 404

    _moved_in_sql(h3_25, assessor=bob)

    assert _get(client, bob, reverse("assessments:enrolment_detail", args=[h3_25.pk])).status_code == 200
    assert Enrolment.objects.get(pk=h3_25.pk).case_seal_broken_at is None
    assert Notification.objects.filter(recipient=grace, message__contains="are as the portfolio made them again").count() == 1
    assert AuditEvent.objects.filter(action="portfolio.enrolment.case_put_back", enrolment=h3_25).count() == 1
    _get(client, bob, "/")
    assert AuditEvent.objects.filter(action="portfolio.enrolment.case_put_back", enrolment=h3_25).count() == 1


def test_a_cleared_seal_is_a_changed_case(h3_25):
    _moved_in_sql(h3_25, case_seal="")
    assert case_seals.check_every_enrolment() == [Enrolment.objects.get(pk=h3_25.pk)]
    assert "its seal has been cleared" in case_seals.what_changed(Enrolment.objects.get(pk=h3_25.pk))


def test_two_columns_changed_are_said_so(dave, erin, h3_25):
    _moved_in_sql(h3_25, assessor=erin, candidate=dave)
    assert "more than one of" in case_seals.what_changed(Enrolment.objects.get(pk=h3_25.pk))


def test_a_case_set_up_through_the_portfolio_holds(alice, erin, hsc331, h3_25, daves_unit):
    put_on_case(h3_25.pk, assessor=erin)
    assert case_seals.check_every_enrolment() == []


def test_the_migration_seals_every_case_as_it_stands(alice, erin, hsc331, h3_25, daves_unit):
    import importlib

    from django.apps import apps
    from django.db import connection

    migration = importlib.import_module("portfolio.migrations.0053_enrolment_case_seal")
    Enrolment.objects.update(case_seal="")
    assert len(case_seals.check_every_enrolment()) == 3

    migration.seal_every_case(apps, connection.schema_editor())

    assert case_seals.check_every_enrolment() == []
    assert Enrolment.objects.filter(case_seal_broken_at__isnull=False).count() == 0


def test_an_external_quality_assurer_reads_no_case_known_changed(centre, heidi, erin, h3_25, hsc331):
    from portfolio import access
    from tests.factories import eqa_grant

    eqa_grant(centre, heidi)
    assert set(access.eqa_enrolments(heidi)) == {h3_25, hsc331}
    _moved_in_sql(h3_25, assessor=erin)
    case_seals.check_every_enrolment()
    assert list(access.eqa_enrolments(heidi)) == [hsc331]


def test_the_centres_lists_mark_a_changed_case_and_name_nobody_as_judging_it(client, grace, bob, alice, erin, h3_25):
    from assessments import selectors
    from portfolio import judged_by

    item = submitted(alice, h3_25, title="Agreeing contact", criteria=("H3 25.1",))
    _moved_in_sql(h3_25, assessor=erin)
    case_seals.check_every_enrolment()
    badge = selectors.unit_states([Enrolment.objects.get(pk=h3_25.pk)])[h3_25.pk]
    assert (badge.label, badge.tone) == ("People changed outside the portfolio", "danger")
    assert "H3 25, closed while the centre checks who is on it" in judged_by.judged_elsewhere_words(item)


def test_a_changed_case_is_in_no_iqas_sampling_plan(centre, carol, erin, h3_25, hsc331):
    from assessments.services.sampling_plan import plan_enrolments

    assert set(plan_enrolments(carol, centre)) == {h3_25, hsc331}
    _moved_in_sql(h3_25, assessor=erin)
    case_seals.check_every_enrolment()
    assert plan_enrolments(carol, centre) == [hsc331]


def test_a_unit_moved_to_another_centre_is_told_to_the_centre_it_was_moved_from(client, grace, frank, other_centre, h3_25):
    _moved_in_sql(h3_25, centre=other_centre)
    case_seals.check_every_enrolment()
    told = Notification.objects.get(recipient=grace, message__contains="changed outside the portfolio")
    assert "the portfolio made Riverside Training its centre" in told.message
    told = Notification.objects.get(recipient=frank, message__contains="in the database, not by the portfolio")
    assert "A unit (H3 25) of a candidate at another centre was moved to Hillside College" in told.message
    assert "Alice" not in told.message and "nobody here can open it" in told.message
    assert AuditEvent.objects.filter(action="portfolio.enrolment.case_changed", centre=h3_25.centre).count() == 1


def test_a_unit_moved_to_another_centre_is_opened_by_the_centre_it_was_moved_from_alone(client, grace, frank, other_centre, h3_25):
    """Frank, who runs the centre it was moved to, was never let in by the portfolio: he finds it listed
    as another centre's and cannot open it; Grace, whose it is, opens it and reads what changed."""
    _moved_in_sql(h3_25, centre=other_centre)
    unit = reverse("assessments:enrolment_detail", args=[h3_25.pk])

    assert _get(client, frank, unit).status_code == 404
    assert client.get(reverse("assessments:decisions", args=[h3_25.pk])).status_code == 404
    assert client.get(reverse("exports:unit_pdf", args=[h3_25.pk])).status_code == 404
    listed = client.get(reverse("assessments:centre_portfolios", args=[other_centre.pk]) + "?changed=1").content.decode()
    assert "Another centre’s, moved here outside the portfolio" in listed or "Another centre&#x27;s, moved here" in listed
    page = _get(client, grace, unit)
    assert page.status_code == 200
    assert "the portfolio made Riverside Training its centre" in page.content.decode()


def test_the_site_administrator_who_puts_it_back_is_told_how(client, grace, erin, h3_25):
    from portfolio.models import Person

    sam = Person.objects.create_superuser(email="sam@example.org", password="a long Passphrase 2026")
    _moved_in_sql(h3_25, assessor=erin)
    case_seals.check_every_enrolment()

    told = Notification.objects.get(recipient=sam)
    assert f"UPDATE portfolio_enrolment SET assessor_id = {h3_25.assessor_id} WHERE id = {h3_25.pk};" in told.message  # noqa: S608 - words compared, never run
