"""An EQA's samples and packs are their own (outside trial, issue 15): Heidi (City & Guilds) and
Hana (SQA) both quality-assure Riverside; Grace administers it. Neither EQA finds the other's visit
packs, the administrator's, or those of an EQA whose access has ended; neither sees the other's "EQA
sampled" marks. The centre's staff see them all."""

import datetime

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from exports.models import VisitPack
from tests.factories import PersonFactory, eqa_grant

pytestmark = pytest.mark.django_db


@pytest.fixture
def hana(centre):
    hana = PersonFactory(first_name="Hana", last_name="Ellis")
    eqa_grant(centre, hana)
    return hana


@pytest.fixture
def ended(centre):
    """Ian, an EQA whose access the centre has ended."""
    ian = PersonFactory(first_name="Ian", last_name="Ended")
    grant = eqa_grant(centre, ian)
    return ian, grant


def _pack(centre, person, unit) -> VisitPack:
    pack = VisitPack.objects.create(
        centre=centre, requested_by=person, status=VisitPack.Status.DONE, units_done=1, units_total=1,
    )
    pack.enrolments.set([unit])
    pack.file.save(f"exports/riverside-pack-{pack.pk}.zip", ContentFile(b"PK\x05\x06" + b"\0" * 18))
    return pack


def test_an_eqa_finds_only_the_packs_they_asked_for(client, centre, hsc331, grace, heidi, hana, ended):
    ian, grant = ended
    packs = {who: _pack(centre, person, hsc331) for who, person in
             (("heidi", heidi), ("hana", hana), ("grace", grace), ("ian", ian))}
    grant.ended_at = timezone.now()
    grant.save()
    client.force_login(heidi)
    listed = client.get(f"/exports/centres/{centre.pk}/visit-packs/").content.decode()
    assert f"Visit pack {packs['heidi'].pk}" in listed
    for other in ("hana", "grace", "ian"):
        assert f"Visit pack {packs[other].pk}" not in listed
        assert client.get(f"/exports/visit-packs/{packs[other].pk}/").status_code == 404
        assert client.get(f"/exports/visit-packs/{packs[other].pk}/download/").status_code == 404
    assert client.get(f"/exports/visit-packs/{packs['heidi'].pk}/download/").status_code == 200
    client.force_login(grace)
    listed = client.get(f"/exports/centres/{centre.pk}/visit-packs/").content.decode()
    for pack in packs.values():
        assert f"Visit pack {pack.pk}" in listed
        assert client.get(f"/exports/visit-packs/{pack.pk}/download/").status_code == 200


def _sample(client, eqa, unit, name):
    client.force_login(eqa)
    planned = (timezone.localdate() + datetime.timedelta(days=7)).isoformat()
    response = client.post(reverse("assessments:eqa_sample_create"),
                           {"name": name, "planned_on": planned, "mode": "remote", "enrolments": [unit.pk]})
    assert response.status_code == 302, response.content.decode()[:2000]


def test_an_eqa_sees_only_their_own_eqa_sampled_marks(client, centre, hsc331, grace, heidi, hana):
    _sample(client, heidi, hsc331, "Heidi's visit")
    _sample(client, hana, hsc331, "Hana's visit")
    unit_page = reverse("assessments:enrolment_detail", args=[hsc331.pk])
    portfolios = reverse("assessments:centre_portfolios", args=[centre.pk])
    client.force_login(heidi)
    for page in (client.get(unit_page).content.decode(), client.get(portfolios).content.decode()):
        assert "Heidi Hughes" in page and "Hana Ellis" not in page
    client.force_login(grace)
    for page in (client.get(unit_page).content.decode(), client.get(portfolios).content.decode()):
        assert "Heidi Hughes" in page and "Hana Ellis" in page
