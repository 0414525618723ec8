"""Passwords are kept as Argon2id hashes (OWASP's first recommendation), and a password kept the old
way (PBKDF2, Django's previous default) becomes Argon2id the next time its owner signs in.

The rest of the suite hashes with MD5 (config/settings/test.py) for speed; these tests put back the
hashers production runs with."""

import pytest
from django.contrib.auth.hashers import check_password, make_password
from django.test import override_settings
from django.urls import reverse

from config.settings import security

PASSWORD = "correct horse battery"  # tests/factories.py gives everyone this one
production_hashers = override_settings(PASSWORD_HASHERS=security.PASSWORD_HASHERS)


def test_production_hashes_new_passwords_with_argon2id():
    with production_hashers:
        stored = make_password(PASSWORD)

        assert stored.startswith("argon2$argon2id$")
        assert check_password(PASSWORD, stored)
        assert not check_password("not the password", stored)


@pytest.mark.django_db
def test_a_pbkdf2_password_becomes_argon2id_when_its_owner_signs_in(client, alice):
    with production_hashers:
        alice.password = make_password(PASSWORD, hasher="pbkdf2_sha256")
        alice.save(update_fields=["password"])

        response = client.post(reverse("login"), {"username": alice.email, "password": PASSWORD})

        assert response.status_code == 302 and "_auth_user_id" in client.session
        alice.refresh_from_db()
        assert alice.password.startswith("argon2$argon2id$")
        assert check_password(PASSWORD, alice.password)


@pytest.mark.django_db
def test_a_failed_sign_in_leaves_the_old_hash_alone(client, alice):
    with production_hashers:
        old = make_password(PASSWORD, hasher="pbkdf2_sha256")
        alice.password = old
        alice.save(update_fields=["password"])

        response = client.post(reverse("login"), {"username": alice.email, "password": "not the password"})

        assert response.status_code == 200 and "_auth_user_id" not in client.session
        alice.refresh_from_db()
        assert alice.password == old
