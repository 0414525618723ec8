"""Bulk exports and visit packs changed in the database (an outside trial pointed an export's file at
another stored ZIP and the requester downloaded it; it widened a pack's units between the request
and the build, and the ZIP held a unit outside the EQA's grant). Each row is sealed as the portfolio
made it (its centre, who asked, its file and units: `exports.zip_sealing`): one that does not hold
is neither built nor served (its page says so, its download answers 404 with that page), and the
centre's administrators are told once. Independent of the seal, a pack's build leaves out any unit
its requester may no longer read, saying so.

The people are the shared cast: Alice on HSC331 and H3 25, Dave on HSC331; Grace administers
Riverside and Heidi is its EQA (every unit, until narrowed here); Frank administers Hillside."""

import importlib
import io
import zipfile

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from django.db import connection

from exports import zip_sealing, zip_seals
from exports.models import BulkExport, VisitPack
from portfolio.models import AuditEvent, EqaGrant, Notification
from tests.exports.signed_case import SignedCase, signed_case

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed() -> SignedCase:
    return signed_case()


@pytest.fixture
def ask(client, django_capture_on_commit_callbacks):
    """Asks for a pack (or, with `export=True`, a bulk export) through its page as `person`; the
    worker's build is returned to run when the test says (`build()`), or run at once."""

    def asking(person, enrolments, *, export=False, now=True):
        client.force_login(person)
        centre = enrolments[0].centre_id
        address = f"/exports/centres/{centre}/" if export else f"/exports/centres/{centre}/visit-packs/"
        with django_capture_on_commit_callbacks(execute=now) as callbacks:
            response = client.post(address, {"enrolments": [e.pk for e in enrolments]})
        assert response.status_code == 302, response.content.decode()[:2000]
        row = (BulkExport if export else VisitPack).objects.order_by("pk").last()

        def build():
            for callback in callbacks:
                callback()
            row.refresh_from_db()
            return row

        return row.__class__.objects.get(pk=row.pk) if now else (row, build)

    return asking


def test_what_the_portfolio_builds_holds_and_is_served(signed, ask, client):
    case = signed.case
    pack = ask(case.heidi, [case.dave_hsc331])
    export = ask(case.grace, [case.hsc331], export=True)
    assert pack.status == "done" and export.status == "done"
    assert zip_seals.check_every_row() == []
    client.force_login(case.heidi)
    assert client.get(f"/exports/visit-packs/{pack.pk}/download/").status_code == 200
    client.force_login(case.grace)
    assert client.get(f"/exports/{export.pk}/download/").status_code == 200


def test_a_packs_file_pointed_elsewhere_serves_nothing_and_the_centre_is_told_once(signed, ask, client):
    case = signed.case
    graces = ask(case.grace, [case.hsc331])
    heidis = ask(case.heidi, [case.dave_hsc331])
    VisitPack.objects.filter(pk=heidis.pk).update(file=graces.file.name, sha256=graces.sha256, size=graces.size)
    client.force_login(case.heidi)

    download = client.get(f"/exports/visit-packs/{heidis.pk}/download/")
    page = client.get(f"/exports/visit-packs/{heidis.pk}/").content.decode()

    assert download.status_code == 404
    assert not hasattr(download, "streaming_content")
    for words in (download.content.decode(), page):
        assert "Changed outside the portfolio: this visit pack serves nothing." in words
        assert f"/exports/visit-packs/{heidis.pk}/download/" not in words
    told = Notification.objects.filter(recipient=case.grace, message__contains=f"Visit pack {heidis.pk} of Riverside")
    assert told.count() == 1 and "It serves nothing." in told.get().message
    assert not Notification.objects.filter(recipient=case.heidi, message__contains="serves nothing").exists()
    assert AuditEvent.objects.filter(action="exports.export.changed", centre=case.centre).count() == 1
    client.force_login(case.grace)
    assert client.get(f"/exports/visit-packs/{graces.pk}/download/").status_code == 200  # the other still is


def test_an_exports_file_pointed_at_another_centres_zip_serves_nothing(signed, ask, client):
    case = signed.case
    export = ask(case.grace, [case.hsc331], export=True)
    BulkExport.objects.filter(pk=export.pk).update(file="exports/999/another-centres.zip")
    client.force_login(case.grace)

    download = client.get(f"/exports/{export.pk}/download/")

    assert download.status_code == 404
    assert "Changed outside the portfolio: this export serves nothing." in download.content.decode()
    assert Notification.objects.filter(recipient=case.grace, message__contains=f"Bulk export {export.pk}").count() == 1
    client.get(f"/exports/{export.pk}/download/")  # asked again: told once
    assert Notification.objects.filter(recipient=case.grace, message__contains=f"Bulk export {export.pk}").count() == 1


def test_an_export_moved_to_another_centre_serves_nothing(signed, ask, client):
    case = signed.case
    frank = case.frank
    export = ask(case.grace, [case.hsc331], export=True)
    BulkExport.objects.filter(pk=export.pk).update(centre=frank.memberships.get().centre)
    client.force_login(frank)
    assert client.get(f"/exports/{export.pk}/download/").status_code == 404


def test_a_packs_units_widened_before_the_build_build_nothing(signed, ask, client):
    case = signed.case
    grant = EqaGrant.objects.get(person=case.heidi)
    grant.units.set([case.hsc331.unit])  # the centre narrows Heidi's grant to HSC331
    grant.qualifications.clear()
    pack, build = ask(case.heidi, [case.dave_hsc331], now=False)
    VisitPack.enrolments.through.objects.create(visitpack_id=pack.pk, enrolment_id=case.h3_25.pk)  # by SQL

    pack = build()

    assert pack.status == "failed" and not pack.file
    assert "its list of units was changed outside the portfolio" in pack.error
    client.force_login(case.grace)
    page = client.get(f"/exports/visit-packs/{pack.pk}/").content.decode()
    assert "its list of units was changed outside the portfolio" in page
    assert client.get(f"/exports/visit-packs/{pack.pk}/download/").status_code == 404
    assert Notification.objects.filter(recipient=case.grace, message__contains="list of units was changed").count() == 1


def test_an_exports_units_widened_before_the_build_build_nothing(signed, ask):
    case = signed.case
    export, build = ask(case.grace, [case.hsc331], export=True, now=False)
    BulkExport.enrolments.through.objects.create(bulkexport_id=export.pk, enrolment_id=case.dave_hsc331.pk)
    export = build()
    assert export.status == "failed" and "its list of units was changed outside the portfolio" in export.error


def test_a_unit_the_eqa_may_no_longer_read_is_left_out_saying_so(signed, ask, client, tmp_path):
    case = signed.case
    pack, build = ask(case.heidi, [case.hsc331, case.h3_25], now=False)
    grant = EqaGrant.objects.get(person=case.heidi)
    grant.units.set([case.hsc331.unit])  # the centre narrows the grant before the pack is built
    grant.qualifications.clear()

    pack = build()

    assert pack.status == "done"
    assert [(unit["unit"], unit["reason"]) for unit in pack.left_out] == [
        ("H3 25", "the person who asked for the pack may not read it")
    ]
    client.force_login(case.grace)
    assert "Heidi Hughes, who asked for the pack, may not read this unit now." in client.get(
        f"/exports/visit-packs/{pack.pk}/").content.decode()
    response = client.get(f"/exports/visit-packs/{pack.pk}/download/")
    path = tmp_path / "pack.zip"
    path.write_bytes(b"".join(response.streaming_content))
    with zipfile.ZipFile(path) as archive:
        assert not any("h3-25" in name for name in archive.namelist())
        assert "may not read this unit now" in archive.read("left-out.txt").decode()


def test_the_fixity_check_names_every_export_changed_and_fails(signed, ask):
    case = signed.case
    pack = ask(case.grace, [case.hsc331])
    VisitPack.objects.filter(pk=pack.pk).update(requested_by=case.heidi)
    out = io.StringIO()
    with pytest.raises(CommandError, match="1 export, visit pack or witness link was changed outside the portfolio"):
        call_command("check_fixity", "--now", stdout=out)
    assert f"EXPORT CHANGED: Visit pack {pack.pk} of Riverside Training" in out.getvalue()


def test_the_migration_and_an_older_backup_seal_every_row_as_it_stands(signed, ask):
    case = signed.case
    ask(case.grace, [case.hsc331])
    ask(case.grace, [case.h3_25], export=True)
    migration = importlib.import_module("exports.migrations.0007_zip_access_seal")
    for model in (BulkExport, VisitPack):
        model.objects.update(access_seal=None)
    migration.seal_every_row(apps, connection.schema_editor())
    assert zip_seals.check_every_row() == []
    for model in (BulkExport, VisitPack):
        model.objects.update(access_seal=None)
        zip_sealing.sealed_in_bulk(model.objects.all())
    assert zip_seals.check_every_row() == []
