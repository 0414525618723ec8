"""The site administrator's centres (issue 16, item 3): every centre with its administrators, the
invitations of administrators still waiting and its figures; on a centre's page, its first
administrator's invitation sent again, withdrawn and a corrected address invited, another
administrator invited, the centre renamed. A superuser's alone (404 for everyone else), and never
a window on the centre's candidates or their evidence."""

import datetime
import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from portfolio.audit import PortfolioAction
from portfolio.models import AuditEvent, Centre, Invitation, Membership, Person, Role
from tests.factories import PersonFactory, updated

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a long Passphrase 2026"
LINK = re.compile(r"https?://[^/\s]+(/\S*invitations/\S+/)")


def text_of(response) -> str:
    return response.content.decode().replace("&#x27;", "'").replace("&quot;", '"').replace("&#x2019;", "’")


def link_in(message) -> str:
    found = LINK.search(message.body)
    assert found, message.body
    return found.group(1)


@pytest.fixture
def site(db):
    return PersonFactory(first_name="Sam", last_name="Site", email="site@example.org", is_superuser=True, is_staff=True)


@pytest.fixture
def lakeside(client, site):
    """A centre the site administrator created, its first administrator's address mistyped."""
    client.force_login(site)
    client.post(reverse("portfolio:centre_create"), {
        "name": "Lakeside Academy", "code": "lakeside", "administrator_first_name": "Lee",
        "administrator_last_name": "Lake", "administrator_email": "lee@exmaple.org",
    })
    mail.outbox.clear()
    return Centre.objects.get(code="lakeside")


def _page(client, centre: Centre) -> str:
    return text_of(client.get(reverse("portfolio:site_centre", args=[centre.pk])))


def test_it_lists_each_centre_with_its_administrators_waiting_invitations_and_figures(
    client, site, lakeside, grace, alice, dave, hsc331
):
    page = text_of(client.get(reverse("portfolio:site_centres")))

    assert "Lakeside Academy" in page and "Riverside Training" in page
    assert "Grace Gordon" in page and "grace@example.org" in page
    assert "Lee Lake" in page and "lee@exmaple.org" in page and "Invited" in page
    assert "2 candidates · 1 assessor · 1 internal quality assurer" in page
    assert "1 active enrolment" in page
    assert "0 candidates" in page
    # Figures only: nobody but the administrators is named.
    assert "Alice" not in page and "Dave" not in page and "alice@example.org" not in page


def test_a_centre_created_opens_on_its_own_page_with_the_invitation_waiting(client, site):
    client.force_login(site)

    response = client.post(reverse("portfolio:centre_create"), {
        "name": "Lakeside Academy", "code": "lakeside", "administrator_first_name": "Lee",
        "administrator_last_name": "Lake", "administrator_email": "lee@example.org",
    }, follow=True)

    page = text_of(response)
    assert response.redirect_chain[-1][0] == reverse("portfolio:site_centre", args=[Centre.objects.get().pk])
    assert "Lakeside Academy is created." in page
    assert "Lee Lake" in page and "Send the invitation again" in page and "No administrator has accepted yet." in page
    assert "Sending an invitation again emails a new link" in page


def test_an_expired_invitation_is_marked_and_sent_again_with_a_new_link(client, site, lakeside):
    invitation = Invitation.objects.get(centre=lakeside)
    old_digest = invitation.token_digest
    updated(Invitation.objects.filter(pk=invitation.pk), expires_at=timezone.now() - datetime.timedelta(days=1))
    assert "Link expired" in _page(client, lakeside)

    response = client.post(
        reverse("portfolio:site_invitation_resend", args=[lakeside.pk, invitation.pk]), follow=True
    )

    page = text_of(response)
    assert "The invitation was sent again to Lee Lake (lee@exmaple.org). The earlier link no longer works." in page
    assert "Link expired" not in page
    invitation.refresh_from_db()
    assert invitation.token_digest != old_digest and invitation.status() == "pending"
    assert mail.outbox[0].to == ["lee@exmaple.org"]
    assert AuditEvent.objects.filter(action=PortfolioAction.INVITATION_RESENT, centre=lakeside, actor=site).exists()


def test_a_mistyped_address_is_withdrawn_and_the_right_one_invited_and_accepts(client, site, lakeside):
    mistyped = Invitation.objects.get(centre=lakeside)

    withdrawn = client.post(reverse("portfolio:site_invitation_withdraw", args=[lakeside.pk, mistyped.pk]), follow=True)
    assert "The invitation of Lee Lake (lee@exmaple.org) is withdrawn" in text_of(withdrawn)
    assert "No administrator" in text_of(withdrawn)
    invited = client.post(reverse("portfolio:site_administrator_invite", args=[lakeside.pk]), {
        "first_name": "Lee", "last_name": "Lake", "email": "lee@example.org",
    }, follow=True)

    assert "We have emailed Lee Lake (lee@example.org) an invitation to administer Lakeside Academy." in text_of(invited)
    assert "lee@exmaple.org" not in text_of(invited)
    mistyped.refresh_from_db()
    assert mistyped.status() == "cancelled"
    client.logout()
    client.post(link_in(mail.outbox[0]), {
        "first_name": "Lee", "last_name": "Lake", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD,
    })
    lee = Person.objects.get(email="lee@example.org")
    assert Membership.objects.filter(person=lee, centre=lakeside, role=Role.ADMINISTRATOR).exists()
    client.force_login(Person.objects.get(email="site@example.org"))
    page = _page(client, lakeside)
    assert "Lee Lake" in page and "lee@example.org" in page and "Send the invitation again" not in page
    # With no invitation waiting, nothing explains sending one again (found by an outside tester).
    assert "Sending an invitation again" not in page


def test_a_withdrawn_link_no_longer_opens(client, site, lakeside):
    invitation = Invitation.objects.get(centre=lakeside)
    client.post(reverse("portfolio:site_invitation_resend", args=[lakeside.pk, invitation.pk]))
    link = link_in(mail.outbox[0])
    client.post(reverse("portfolio:site_invitation_withdraw", args=[lakeside.pk, invitation.pk]))
    client.logout()

    assert "This invitation was withdrawn by the centre." in text_of(client.get(link))


def test_another_administrator_is_invited_beside_one_who_accepted(client, site, centre, grace):
    client.force_login(site)

    response = client.post(reverse("portfolio:site_administrator_invite", args=[centre.pk]), {
        "first_name": "Gwen", "last_name": "Green", "email": "gwen@example.org",
    }, follow=True)

    page = text_of(response)
    assert "Grace Gordon" in page and "Gwen Green" in page
    assert mail.outbox[0].to == ["gwen@example.org"] and "Riverside Training" in mail.outbox[0].subject


def test_an_administrator_already_there_is_not_invited_twice(client, site, centre, grace):
    client.force_login(site)

    response = client.post(reverse("portfolio:site_administrator_invite", args=[centre.pk]), {
        "first_name": "Grace", "last_name": "Gordon", "email": "GRACE@example.org",
    })

    assert response.status_code == 400
    assert "grace@example.org is already a centre administrator at Riverside Training." in text_of(response)
    assert mail.outbox == []


def test_a_centre_is_renamed_its_code_kept_and_the_trail_says_so(client, site, centre):
    client.force_login(site)

    response = client.post(reverse("portfolio:site_centre_rename", args=[centre.pk]), {"name": "Riverside Academy"},
                           follow=True)

    assert "The centre is now called Riverside Academy." in text_of(response)
    centre.refresh_from_db()
    assert (centre.name, centre.code) == ("Riverside Academy", "riverside")
    event = AuditEvent.objects.get(action=PortfolioAction.CENTRE_RENAMED)
    assert (event.before, event.after["name"], event.actor) == ({"name": "Riverside Training"}, "Riverside Academy", site)


def test_an_empty_name_is_refused_beside_the_field(client, site, centre):
    client.force_login(site)

    response = client.post(reverse("portfolio:site_centre_rename", args=[centre.pk]), {"name": "  "})

    assert response.status_code == 400
    assert "This field is required." in text_of(response)
    centre.refresh_from_db()
    assert centre.name == "Riverside Training"


def test_a_candidates_invitation_is_not_the_site_administrators(client, site, centre, grace):
    client.force_login(grace)
    client.post(reverse("portfolio:person_create", args=[centre.pk]), {
        "first_name": "Nia", "last_name": "Newton", "email": "nia@example.org", "role": Role.CANDIDATE,
    }, follow=True)
    nias = Invitation.objects.get(email="nia@example.org")
    client.force_login(site)

    assert client.post(reverse("portfolio:site_invitation_withdraw", args=[centre.pk, nias.pk])).status_code == 404
    assert client.post(reverse("portfolio:site_invitation_resend", args=[centre.pk, nias.pk])).status_code == 404
    nias.refresh_from_db()
    assert nias.status() == "pending"
    # Nor does the page name invited candidates.
    assert "Nia" not in _page(client, centre)


def test_the_page_says_the_site_administrator_does_not_see_evidence(client, site, centre, hsc331):
    client.force_login(site)

    page = _page(client, centre)

    assert "You see figures only." in page and "only the people working on each candidate's case" in page
    # And the centre's own pages, where evidence is, stay closed to them.
    assert client.get(reverse("assessments:centre_detail", args=[centre.pk])).status_code == 404


@pytest.mark.parametrize("who", ["grace", "frank", "alice"])
def test_it_is_not_found_for_anyone_but_the_site_administrator(client, who, request, centre):
    client.force_login(request.getfixturevalue(who))

    assert client.get(reverse("portfolio:site_centres")).status_code == 404
    assert client.get(reverse("portfolio:site_centre", args=[centre.pk])).status_code == 404
    assert client.post(reverse("portfolio:site_centre_rename", args=[centre.pk]), {"name": "Mine"}).status_code == 404
    centre.refresh_from_db()
    assert centre.name == "Riverside Training"


def test_the_list_reads_in_a_fixed_number_of_queries(client, site, centre, other_centre, grace, frank,
                                                     django_assert_max_num_queries):
    client.force_login(site)
    client.get(reverse("portfolio:site_centres"))
    for number in range(5):
        Centre.objects.create(name=f"Centre {number}", code=f"centre-{number}")

    with django_assert_max_num_queries(12):
        response = client.get(reverse("portfolio:site_centres"))

    assert "Centre 4" in text_of(response)


# The centre code's rule, in the words of its hint.


@pytest.mark.parametrize("code", ["lake side", "lake_side", "lake.side", "läke"])
def test_a_centre_code_other_than_letters_numbers_and_hyphens_is_refused_in_plain_words(client, site, code):
    client.force_login(site)

    response = client.post(reverse("portfolio:centre_create"), {
        "name": "Lakeside Academy", "code": code, "administrator_first_name": "Lee",
        "administrator_last_name": "Lake", "administrator_email": "lee@example.org",
    })

    page = text_of(response)
    assert response.status_code == 400
    assert "Use only letters, numbers and hyphens, with no spaces: 4521-07 or riverside, say." in page
    assert "slug" not in page.lower() and "underscore" not in page.lower()
    assert not Centre.objects.exists() and mail.outbox == []


def test_a_centre_code_of_letters_numbers_and_hyphens_is_taken(client, site):
    client.force_login(site)

    client.post(reverse("portfolio:centre_create"), {
        "name": "Lakeside Academy", "code": "4521-07", "administrator_first_name": "Lee",
        "administrator_last_name": "Lake", "administrator_email": "lee@example.org",
    })

    assert Centre.objects.get().code == "4521-07"



# The home page greets the site administrator as anyone else: by first name, else by address.


def test_the_site_administrator_is_greeted_by_first_name(client, site):
    client.force_login(site)

    assert "<h1 class=\"mb-4\">Hello, Sam</h1>" in text_of(client.get(reverse("home")))


def test_someone_with_no_first_name_is_greeted_by_email_address(client, site):
    Person.objects.filter(pk=site.pk).update(first_name="")
    client.force_login(site)

    assert "Hello, site@example.org</h1>" in text_of(client.get(reverse("home")))


def test_someone_with_neither_is_greeted_with_hello_alone(client, site):
    updated(Person.objects.filter(pk=site.pk), first_name="", email="")
    client.force_login(site)

    assert ">Hello</h1>" in text_of(client.get(reverse("home")))
