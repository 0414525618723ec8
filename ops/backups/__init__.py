"""One consistent backup of an installation in one ZIP, and its restore onto an empty installation.

The archive holds:

- `data/standards.json`: the standards, by natural key (as `dumpdata --natural-foreign
  --natural-primary` writes them), so they load the same onto an installation that already has them;
- `data/records.json`: everything else, with natural foreign keys but its own primary keys. Those
  must survive: a sign-off's signature is an HMAC over the ids of its enrolment, assessor,
  decisions, evidence and files, so records loaded under new ids would no longer verify. For the
  same reason times keep their microseconds, which dumpdata's JSON drops (see `_dump`);
- `files/<name>`: every file a record names in the default storage (evidence files, exports), under
  its storage name;
- `manifest.json`: the SHA-256 and size of every member, the rows of every model, the migrations
  the data was taken at and the backup key's fingerprint;
- `signature.json`, written last: the manifest's HMAC under PORTFOLIO_BACKUP_KEY (signing.py), so
  a restore refuses an archive edited even with its manifest recomputed (checking.py).

Both dumps and the list of files are read in one transaction (REPEATABLE READ on PostgreSQL, one read
transaction on SQLite), so they agree with each other even while people work. Files are never
changed once stored, so copying them after that transaction still gives the bytes the rows name.

Not backed up: content types and permissions (every migrated installation makes its own), sessions
(everyone signs in again), the admin's log and sign-in lock-outs.
"""

from .archive import BackupError, backed_up_models, row_counts, stored_file_names
from .restoring import RestoreSummary, restore
from .writing import BackupSummary, backup, consistent_snapshot

__all__ = [
    "BackupError",
    "BackupSummary",
    "RestoreSummary",
    "backed_up_models",
    "backup",
    "consistent_snapshot",
    "restore",
    "row_counts",
    "stored_file_names",
]
