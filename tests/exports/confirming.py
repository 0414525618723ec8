""""All N matching" as an administrator builds it: the list's form posted, then the confirmation it
answers with (how many units, which, their fingerprint), confirmed."""

import re


def confirmation(client, url: str, asked: dict):
    """The confirmation page for these choices (posted as the list's form posts them), and the
    fingerprint it carries of the units it counted (None when it offers nothing to build)."""
    response = client.post(url, asked)
    page = response.content.decode()
    found = re.search(r'name="shown" value="([0-9a-f]+)"', page)
    return response, (found.group(1) if found else None)


def confirmed(client, url: str, asked: dict):
    """The export built from a confirmation taken now: the response to confirming it."""
    response, shown = confirmation(client, url, asked)
    assert response.status_code == 200 and shown, response.content.decode()[:500]
    return client.post(url, {**asked, "shown": shown})
