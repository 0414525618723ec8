"""The actions exports records in the audit trail (see `portfolio.audit`). Their codes began when
exports were part of assessments and are stored in every event and CSV export, so they keep the
`assessments.` prefix: a member's value never changes."""

from portfolio.audit import AuditAction


class ExportAction(AuditAction):
    UNIT_EXPORTED = "assessments.unit.exported"
    EXPORT_REQUESTED = "assessments.export.requested"
    EXPORT_BUILT = "assessments.export.built"
    EXPORT_DOWNLOADED = "assessments.export.downloaded"
    # Recorded by `manage.py exports_watch` when a worker died while building an export.
    EXPORT_RESTARTED = "exports.export.restarted"
    EXPORT_FAILED = "exports.export.failed"
    # A bulk export left a unit out: its record had changed since sign-off (exports/bulk.py).
    UNIT_LEFT_OUT = "exports.export.unit_left_out"
    SEAL_MADE = "exports.seal.made"
    SEAL_UPLOADED = "exports.seal.uploaded"
    SUMMARY_EXPORTED = "exports.summary.exported"
    # The records an EQA's visit asks for, in one ZIP (exports/visit_pack.py). A stalled pack is
    # recorded as EXPORT_RESTARTED or EXPORT_FAILED, with "kind": "visit pack".
    VISIT_PACK_REQUESTED = "exports.visit_pack.requested"
    VISIT_PACK_BUILT = "exports.visit_pack.built"
    VISIT_PACK_DOWNLOADED = "exports.visit_pack.downloaded"
    UNIT_LEFT_OUT_OF_PACK = "exports.visit_pack.unit_left_out"
    # A bulk export or visit pack found not as the portfolio made it (its centre, who asked, its file
    # or units changed in the database: exports/zip_seals.py), or found put back.
    EXPORT_CHANGED = "exports.export.changed"
