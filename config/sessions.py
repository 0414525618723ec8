"""Sessions kept in the database with no key in it that a cookie could carry (`SESSION_ENGINE`).

Django's database sessions keep the cookie's key as the row's key, so whoever could read
`django_session` (an outside trial: an insider with SQL access and no key of the app's) set that
cookie and was signed in as anyone. Here the row's key is a keyed hash of the cookie's
(`portfolio.signing.session_key_digest`: HMAC-SHA-256 under PORTFOLIO_SIGNING_KEY, cut to the
column's 40 hex characters), and every way in (load, exists, save, delete, and so create and
cycle_key) goes through it; the cookie's key is never written. The session's data is signed with the
cookie's key in its salt, so data copied from another person's row into one's own (the data names
who is signed in) does not decode: that session is empty, signed in as nobody.

Rows written before this backend (keyed by the cookie's key itself) are found by no cookie: everyone
signs in again once, and `manage.py clearsessions` removes them when they expire (docs/production.md)."""

from typing import Any

from django.contrib.sessions.backends import db
from django.utils import timezone

from portfolio.signing import session_key_digest


class SessionStore(db.SessionStore):
    @property
    def key_salt(self) -> str:
        return f"config.sessions.SessionStore:{self.session_key or ''}"

    def _get_session_from_db(self) -> Any:
        try:
            return self.model.objects.get(session_key=self._row_key(), expire_date__gt=timezone.now())
        except self.model.DoesNotExist:
            self._session_key = None  # a new key is made when saved: the cookie's is not reused
            return None

    async def _aget_session_from_db(self) -> Any:
        try:
            return await self.model.objects.aget(session_key=self._row_key(), expire_date__gt=timezone.now())
        except self.model.DoesNotExist:
            self._session_key = None
            return None

    def _row_key(self) -> str:
        return session_key_digest(self.session_key or "")

    def exists(self, session_key: str) -> bool:
        return super().exists(session_key_digest(session_key))

    async def aexists(self, session_key: str) -> bool:
        return await super().aexists(session_key_digest(session_key))

    def create_model_instance(self, data: dict[str, Any]) -> Any:
        row = super().create_model_instance(data)  # the data encoded with the cookie's key in its salt
        row.session_key = session_key_digest(row.session_key)
        return row

    async def acreate_model_instance(self, data: dict[str, Any]) -> Any:
        row = await super().acreate_model_instance(data)
        row.session_key = session_key_digest(row.session_key)
        return row

    def delete(self, session_key: str | None = None) -> None:
        key = self.session_key if session_key is None else session_key
        if key is not None:
            self.model.objects.filter(session_key=session_key_digest(key)).delete()

    async def adelete(self, session_key: str | None = None) -> None:
        key = self.session_key if session_key is None else session_key
        if key is not None:
            await self.model.objects.filter(session_key=session_key_digest(key)).adelete()
