"""The EQA's visit pack: one ZIP of a sample's records (sealed unit PDFs, the IQA's records, the
audit trails) with a manifest of every file, built on the worker, checked by verify_export.

The people are the shared cast: Alice on HSC331 and H3 25 (Bob her assessor, Carol her IQA), Dave
on HSC331; Grace administers Riverside and Heidi is its EQA; Frank administers another centre."""

import csv
import datetime
import hashlib
import io
import json
import zipfile
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from assessments.services.iqa import review_record, sample_add
from assessments.services.signoff import unit_countersign
from exports import pack_sections, visit_pack
from exports.models import VisitPack
from portfolio.models import AuditEvent, Role
from tests.exports.signed_case import SignedCase, change_a_byte, signed_case
from tests.factories import enrol, member

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed() -> SignedCase:
    signed = signed_case()
    case = signed.case
    unit_countersign(enrolment=case.hsc331, candidate=case.alice, declared=True)
    review_record(review_or_enrolment=case.hsc331, iqa=case.carol, outcome="countersigned", comments="Sound decisions.")
    sample_add(iqa=case.carol, enrolments=[case.h3_25])
    return signed


@pytest.fixture
def build(client, django_capture_on_commit_callbacks):
    """Asks for a pack through the page as `person`; the worker builds it when the request commits."""

    def ask(person, enrolments, expect=302):
        client.force_login(person)
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                f"/exports/centres/{enrolments[0].centre_id}/visit-packs/", {"enrolments": [e.pk for e in enrolments]}
            )
        assert response.status_code == expect, response.content.decode()[:2000]
        return VisitPack.objects.order_by("pk").last() if expect == 302 else response

    return ask


def _download(client, pack, tmp_path: Path) -> Path:
    response = client.get(f"/exports/visit-packs/{pack.pk}/download/")
    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="riverside-visit-pack-{pack.pk}.zip"'
    path = tmp_path / "pack.zip"
    path.write_bytes(b"".join(response.streaming_content))
    return path


def _verify(path: Path, *args: str) -> tuple[int, str]:
    out = io.StringIO()
    try:
        call_command("verify_export", str(path), *args, stdout=out)
    except CommandError as error:
        return error.returncode, out.getvalue() + str(error)
    return 0, out.getvalue()


def test_it_holds_the_sample_records_and_a_manifest_of_every_file(signed, build, client, tmp_path):
    case = signed.case
    pack = build(case.grace, [case.hsc331, case.h3_25])
    assert pack.status == "done" and pack.percent == 100 and pack.left_out == []
    path = _download(client, pack, tmp_path)
    with zipfile.ZipFile(path) as archive:
        names = set(archive.namelist())
        folder = f"units/alice-adams-{case.alice.pk}"
        assert names == {
            f"{folder}/hsc331-portfolio.pdf", f"{folder}/h3-25-portfolio.pdf",
            f"{folder}/hsc331-audit-trail.csv", f"{folder}/h3-25-audit-trail.csv",
            f"{folder}/hsc331-witnesses.csv", f"{folder}/h3-25-witnesses.csv",
            "iqa/iqa-reviews.csv", "iqa/sampling-plans.csv", "qa/standardisation.csv", "qa/competence.csv",
            "qa/cpd.csv", "manifest.csv", "manifest.json", "manifest.json.p7s",
        }
        assert not any("evidence" in name for name in names)  # records, not evidence files
        manifest = json.loads(archive.read("manifest.json"))
        assert {row["path"] for row in manifest["files"]} == names - {"manifest.json", "manifest.json.p7s"}
        for row in manifest["files"]:
            assert hashlib.sha256(archive.read(row["path"])).hexdigest() == row["sha256"], row["path"]
        assert manifest["sections"][:3] == ["Unit portfolios (PDF)", "IQA records", "Audit trails"]
        reviews = list(csv.DictReader(io.StringIO(archive.read("iqa/iqa-reviews.csv").decode())))
        assert [(r["unit"], r["outcome"], r["comments"]) for r in reviews] == [
            ("H3 25", "Sampled, review not yet recorded", ""), ("HSC331", "Countersigned", "Sound decisions."),
        ]
        trail = archive.read(f"{folder}/hsc331-audit-trail.csv").decode()
        assert trail.startswith("at (UTC),actor,action,summary") and "assessments.unit.signed_off" in trail
    status, output = _verify(path)
    assert status == 0, output
    assert "VALID      units/alice-adams" in output and "2 unit PDF(s), 12 file(s) checked" in output
    assert AuditEvent.objects.filter(action="exports.visit_pack.downloaded", actor=case.grace).count() == 1


def test_one_byte_changed_in_the_zip_is_named(signed, build, client, tmp_path):
    case = signed.case
    path = _download(client, build(case.grace, [case.hsc331]), tmp_path)
    with zipfile.ZipFile(path) as archive:
        target = archive.getinfo(f"units/alice-adams-{case.alice.pk}/hsc331-audit-trail.csv")
    data = bytearray(path.read_bytes())
    # A byte of the member's data, past its local header: 30 bytes, then the name and the extra
    # field, whose lengths the header gives at 26 and 28.
    header = target.header_offset
    start = header + 30 + int.from_bytes(data[header + 26:header + 28], "little") + int.from_bytes(
        data[header + 28:header + 30], "little"
    )
    data[start + target.compress_size // 2] ^= 0x01
    path.write_bytes(bytes(data))
    status, output = _verify(path)
    assert status == 1, output
    assert f"NOT VALID  units/alice-adams-{case.alice.pk}/hsc331-audit-trail.csv" in output


def test_a_file_changed_and_listed_again_still_fails_on_the_other_manifest(signed, build, client, tmp_path):
    """Rewriting a CSV and its manifest.json row is caught by manifest.csv; a unit PDF swapped is
    caught by its seal."""
    case = signed.case
    path = _download(client, build(case.grace, [case.hsc331]), tmp_path)
    with zipfile.ZipFile(path) as original:
        members = {name: original.read(name) for name in original.namelist()}
    csv_name = "iqa/iqa-reviews.csv"
    members[csv_name] = members[csv_name].replace(b"Sound decisions.", b"Weak decisions.")
    manifest = json.loads(members["manifest.json"])
    for row in manifest["files"]:
        if row["path"] == csv_name:
            row["sha256"] = hashlib.sha256(members[csv_name]).hexdigest()
    members["manifest.json"] = json.dumps(manifest).encode()
    altered = tmp_path / "altered.zip"
    with zipfile.ZipFile(altered, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    status, output = _verify(altered)
    assert status == 1 and "manifest.csv does not list the same files and digests as manifest.json" in output


def test_a_unit_whose_record_changed_is_left_out_with_why(signed, build, client, tmp_path):
    case = signed.case
    change = change_a_byte(signed, case.h3_25)
    pack = build(case.grace, [case.hsc331, case.h3_25])
    assert [unit["unit"] for unit in pack.left_out] == ["H3 25"]
    page = client.get(f"/exports/visit-packs/{pack.pk}/").content.decode()
    assert "1 unit left out of this pack" in page and change in page
    # Not also listed as in the pack (an outside trial).
    in_pack = page.split("Units in the pack")[1].split("Checking the pack")[0]
    assert "HSC331" in in_pack and "H3 25" not in in_pack
    assert "1 unit (and 1 left out), asked for by" in page
    path = _download(client, pack, tmp_path)
    with zipfile.ZipFile(path) as archive:
        names = archive.namelist()
        assert not any("h3-25" in name for name in names)
        assert change in archive.read("left-out.txt").decode()
    status, output = _verify(path)
    assert status == 0, output
    assert "LEFT OUT   Alice Adams, H3 25: its record has changed since sign-off" in output
    assert AuditEvent.objects.filter(action="exports.visit_pack.unit_left_out", enrolment=case.h3_25).exists()


def test_the_eqa_builds_a_pack_and_the_administrator_sees_it(signed, build, client):
    case = signed.case
    pack = build(case.heidi, [case.dave_hsc331])
    assert pack.requested_by == case.heidi and pack.status == "done"
    client.force_login(case.grace)
    assert f"Visit pack {pack.pk}" in client.get(f"/exports/centres/{case.centre.pk}/visit-packs/").content.decode()
    assert client.get(f"/exports/visit-packs/{pack.pk}/download/").status_code == 200


def test_the_pack_pages_tell_centre_staff_and_the_eqa_how_to_check_it_without_a_developers_command(signed, build, client):
    case = signed.case
    pack = build(case.heidi, [case.dave_hsc331])
    for person in (case.grace, case.heidi):
        client.force_login(person)
        listed = client.get(f"/exports/centres/{case.centre.pk}/visit-packs/").content.decode()
        detail = client.get(f"/exports/visit-packs/{pack.pk}/").content.decode()
        for page in (listed, detail):
            assert "manage.py" not in page and "verify_export" not in page
        assert "a manifest listing every file with its fingerprint" in listed
        assert 'href="/exports/verify/">checking page</a>' in detail
        assert "ask your centre’s technical contact to run the export check on it" in detail


@pytest.mark.parametrize("who", ["alice", "bob", "carol", "dave", "frank"])
def test_nobody_else_finds_the_packs(signed, build, client, who):
    case = signed.case
    pack = build(case.grace, [case.hsc331])
    client.force_login(case.people[who])
    assert client.get(f"/exports/centres/{case.centre.pk}/visit-packs/").status_code == 404
    assert client.get(f"/exports/visit-packs/{pack.pk}/").status_code == 404
    assert client.get(f"/exports/visit-packs/{pack.pk}/download/").status_code == 404


def test_a_unit_of_another_centre_cannot_be_ticked(signed, build, client):
    case = signed.case
    hillside = case.people["frank"].memberships.get().centre
    elsewhere = enrol(member(hillside, Role.CANDIDATE, email="hal@example.org"), "HSC331", centre=hillside,
                      assessor=member(hillside, Role.ASSESSOR, email="ada@example.org"),
                      iqa=member(hillside, Role.IQA, email="ian@example.org"))
    client.force_login(case.grace)
    response = client.post(f"/exports/centres/{case.centre.pk}/visit-packs/", {"enrolments": [case.hsc331.pk, elsewhere.pk]})
    assert response.status_code == 400 and "is not a unit you can put in" in response.content.decode()
    assert not VisitPack.objects.exists()


def test_a_section_registered_later_goes_into_the_pack(signed, build, client, tmp_path):
    """The extension point: a section from another app adds its files, covered by the manifest."""
    case = signed.case

    def standardisation(centre, enrolments):
        yield "standardisation/meetings.csv", f"meeting,{centre.code},{len(enrolments)}\n".encode(), "text/csv"
        yield "standardisation/notes.txt", io.BytesIO(b"Agreed outcome"), "text/plain"

    pack_sections.register("Standardisation records", standardisation)
    try:
        path = _download(client, build(case.grace, [case.hsc331]), tmp_path)
    finally:
        pack_sections.unregister("Standardisation records")
    with zipfile.ZipFile(path) as archive:
        assert archive.read("standardisation/meetings.csv") == b"meeting,riverside,1\n"
        manifest = json.loads(archive.read("manifest.json"))
    assert {"standardisation/meetings.csv", "standardisation/notes.txt"} <= {row["path"] for row in manifest["files"]}
    assert _verify(path)[0] == 0


def test_a_section_cannot_take_the_manifest_path_or_a_path_out_of_the_zip(signed):
    for bad in ("manifest.json", "../escape.txt", "/etc/passwd"):
        pack_sections.register("Bad", lambda centre, enrolments, bad=bad: [(bad, b"x", "text/plain")])
        pack = VisitPack.objects.create(centre=signed.case.centre, requested_by=signed.case.grace)
        pack.enrolments.set([signed.case.hsc331])
        try:
            with pytest.raises(visit_pack.PackError):
                visit_pack.build(pack)
        finally:
            pack_sections.unregister("Bad")


def test_a_name_registered_twice_with_another_builder_is_refused():
    with pytest.raises(ValueError, match="registered already"):
        pack_sections.register("Audit trails", lambda centre, enrolments: [])


def test_a_pack_whose_worker_was_killed_is_built_again(signed, django_capture_on_commit_callbacks):
    case = signed.case
    pack = VisitPack.objects.create(
        centre=case.centre, requested_by=case.heidi, status=VisitPack.Status.RUNNING, attempts=1,
        heartbeat_at=timezone.now() - datetime.timedelta(minutes=11),
    )
    pack.enrolments.set([case.hsc331])
    out = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("exports_watch", stdout=out)
    assert out.getvalue().startswith(f"Visit pack {pack.pk} restarted: the background worker building it stopped")
    pack.refresh_from_db()
    assert pack.status == VisitPack.Status.DONE and pack.attempts == 2
    assert AuditEvent.objects.filter(action="exports.export.restarted", after__kind="visit pack").exists()


def test_it_carries_the_centres_quality_assurance_records_of_the_sample(signed, build, client, tmp_path):
    from assessments.models import (
        AssessorRating,
        CpdEntry,
        HeldQualification,
        SamplingPlan,
        StandardisationMeeting,
    )

    case = signed.case
    today = timezone.localdate()
    plan = SamplingPlan.objects.create(
        iqa=case.carol, centre=case.hsc331.centre, period_start=today - datetime.timedelta(days=30),
        period_end=today + datetime.timedelta(days=334), methods=["observation"], locations="Day centre",
    )
    AssessorRating.objects.create(plan=plan, assessor=case.bob, rating="new", rated_on=today, reason="First year")
    meeting = StandardisationMeeting.objects.create(
        centre=case.hsc331.centre, held_on=today, looked_at="Observations on HSC331a", outcome="Agreed what to record",
        recorded_by=case.carol, recorded_at=timezone.now(),
    )
    meeting.attendees.set([case.bob, case.carol])
    HeldQualification.objects.create(
        person=case.bob, centre=case.hsc331.centre, kind="taqa_assessor", title="TAQA Assessor Award",
        awarding_body="City & Guilds", achieved_on=datetime.date(2019, 6, 3), added_at=timezone.now(),
    )
    CpdEntry.objects.create(
        person=case.bob, centre=case.hsc331.centre, activity="=Safeguarding update", done_on=today, hours="3.5",
        reflection="What I look for now.", added_at=timezone.now(),
    )

    path = _download(client, build(case.grace, [case.hsc331]), tmp_path)

    with zipfile.ZipFile(path) as archive:
        def rows(name):
            return list(csv.DictReader(io.StringIO(archive.read(name).decode())))

        assert [(r["IQA"], r["assessor"], r["risk rating"], r["reason"]) for r in rows("iqa/sampling-plans.csv")] == [
            ("Carol Clark", "Bob Baker", "New", "First year"),
        ]
        assert [(r["attendees"], r["agreed outcome"]) for r in rows("qa/standardisation.csv")] == [
            ("Bob Baker, Carol Clark", "Agreed what to record"),
        ]
        assert [(r["person"], r["title or setting"]) for r in rows("qa/competence.csv")] == [
            ("Bob Baker", "TAQA Assessor Award"),
        ]
        # A typed cell never runs as a formula in the awarding body's spreadsheet.
        assert [(r["person"], r["activity"], r["hours"]) for r in rows("qa/cpd.csv")] == [
            ("Bob Baker", "'=Safeguarding update", "3.5"),
        ]
    status, output = _verify(path)
    assert status == 0, output
