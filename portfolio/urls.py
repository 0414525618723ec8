from django.urls import path

from .views import (
    account,
    catalogue,
    centre,
    centre_invitations,
    enrolments,
    eqa_access,
    evidence,
    files,
    handover,
    import_rights,
    invitations,
    notifications,
    people,
    people_import,
    prepared,
    qualifications,
    site_centres,
)

app_name = "portfolio"
urlpatterns = [
    # A centre administrator's pages (the centre page itself is drawn by assessments: assessments:centre_detail).
    path("centres/<int:centre_id>/people/new/", centre.person_create, name="person_create"),
    path("centres/<int:centre_id>/enrolments/new/", centre.enrolment_create, name="enrolment_create"),
    # What the centre changes on an enrolment once registered (portfolio/services_enrolments.py).
    path("enrolments/<int:pk>/", enrolments.enrolment_manage, name="enrolment_manage"),
    path("enrolments/<int:pk>/assessor/", enrolments.enrolment_reassign, {"role": "assessor"}, name="enrolment_assessor"),
    path("enrolments/<int:pk>/iqa/", enrolments.enrolment_reassign, {"role": "iqa"}, name="enrolment_iqa"),
    path("enrolments/<int:pk>/target-date/", enrolments.enrolment_target_date, name="enrolment_target_date"),
    path("enrolments/<int:pk>/withdraw/", enrolments.enrolment_withdraw, name="enrolment_withdraw"),
    path("enrolments/<int:pk>/transfer/", enrolments.enrolment_transfer, name="enrolment_transfer"),
    path("enrolments/<int:pk>/reinstate/", enrolments.enrolment_reinstate, name="enrolment_reinstate"),
    # Importing candidates from a spreadsheet: upload, preview every row, confirm; and its report.
    path("centres/<int:centre_id>/people/import/", people_import.people_import_upload, name="people_import"),
    path(
        "centres/<int:centre_id>/people/import/template.csv",
        people_import.people_import_template, name="people_import_template",
    ),
    path(
        "centres/<int:centre_id>/people/import/<str:token>/",
        people_import.people_import_preview, name="people_import_preview",
    ),
    path(
        "centres/<int:centre_id>/people/import/<str:token>/done/",
        people_import.people_import_report, name="people_import_report",
    ),
    path(
        "centres/<int:centre_id>/invitations/<int:pk>/resend/", centre_invitations.invitation_resend,
        name="invitation_resend",
    ),
    path(
        "centres/<int:centre_id>/invitations/<int:pk>/name/", centre_invitations.invitation_name,
        name="invitation_name",
    ),
    path(
        "centres/<int:centre_id>/invitations/<int:pk>/withdraw/", centre_invitations.invitation_cancel,
        name="invitation_cancel",
    ),
    # An invited candidate's registration on a unit, before they accept: changed or cancelled.
    path("centres/<int:centre_id>/prepared/<int:pk>/", prepared.prepared_manage, name="prepared_manage"),
    path("centres/<int:centre_id>/prepared/<int:pk>/cancel/", prepared.prepared_cancel, name="prepared_cancel"),
    path("centres/<int:centre_id>/prepared-qualifications/<int:pk>/", prepared.prepared_registration_manage,
         name="prepared_registration_manage"),
    path("centres/<int:centre_id>/prepared-qualifications/<int:pk>/cancel/", prepared.prepared_registration_cancel,
         name="prepared_registration_cancel"),
    # The site administrator's: a new centre and the invitation of its first administrator.
    path("centres/new/", centre_invitations.centre_create, name="centre_create"),
    # The site administrator's centres: each with its administrators and figures; one centre's
    # administrators' invitations followed up, and its name (portfolio/services_site.py).
    path("site/centres/", site_centres.site_centre_list, name="site_centres"),
    path("site/centres/<int:centre_id>/", site_centres.site_centre, name="site_centre"),
    path("site/centres/<int:centre_id>/name/", site_centres.site_centre_rename, name="site_centre_rename"),
    path(
        "site/centres/<int:centre_id>/administrators/invite/", site_centres.site_administrator_invite,
        name="site_administrator_invite",
    ),
    path(
        "site/centres/<int:centre_id>/invitations/<int:pk>/resend/", site_centres.site_invitation_resend,
        name="site_invitation_resend",
    ),
    path(
        "site/centres/<int:centre_id>/invitations/<int:pk>/withdraw/", site_centres.site_invitation_withdraw,
        name="site_invitation_withdraw",
    ),
    # One person at the centre: their roles and units here, and what the administrator may change.
    path("centres/<int:centre_id>/people/<int:person_id>/", people.person_detail, name="person_detail"),
    path("centres/<int:centre_id>/people/<int:person_id>/roles/", people.person_roles, name="person_roles"),
    path("centres/<int:centre_id>/people/<int:person_id>/name/", people.person_name, name="person_name"),
    path("centres/<int:centre_id>/people/<int:person_id>/deactivate/", people.person_deactivate, name="person_deactivate"),
    path("centres/<int:centre_id>/people/<int:person_id>/reactivate/", people.person_reactivate, name="person_reactivate"),
    path(
        "centres/<int:centre_id>/people/<int:person_id>/deactivation-reason/", people.person_deactivation_reason,
        name="person_deactivation_reason",
    ),
    # All of one person's units as assessor or IQA given to someone else at once (services_handover).
    path("centres/<int:centre_id>/people/<int:person_id>/hand-over/", handover.person_handover, name="person_handover"),
    path(
        "centres/<int:centre_id>/people/<int:person_id>/sign-in-lock/", people.person_lock_out_clear,
        name="person_lock_out_clear",
    ),
    # External quality assurers' access, given by the centre (portfolio/eqa_models.py).
    path("centres/<int:centre_id>/eqa/", eqa_access.eqa_access_list, name="eqa_access_list"),
    path("centres/<int:centre_id>/eqa/invite/", eqa_access.eqa_invite, name="eqa_invite"),
    path("centres/<int:centre_id>/eqa/<int:pk>/resend/", eqa_access.eqa_resend, name="eqa_resend"),
    path("centres/<int:centre_id>/eqa/<int:pk>/renew/", eqa_access.eqa_renew, name="eqa_renew"),
    path("centres/<int:centre_id>/eqa/<int:pk>/end/", eqa_access.eqa_end, name="eqa_end"),
    path("centres/<int:centre_id>/eqa/log/", eqa_access.eqa_visit_list, name="eqa_visit_list"),
    path("centres/<int:centre_id>/eqa/log.csv", eqa_access.eqa_visits_download, name="eqa_visits_download"),
    # The emailed link of an invitation (public), and the centre's terms an EQA accepts.
    path("invitations/<str:token>/", invitations.invitation_accept, name="invitation_accept"),
    path("eqa/terms/<int:pk>/", invitations.eqa_terms, name="eqa_terms"),
    # Adding a unit to the catalogue from its published text.
    # The site administrator's: who besides them may import units.
    path("catalogue/", import_rights.catalogue, name="catalogue"),
    path("catalogue/import/", catalogue.unit_import, name="unit_import"),
    path("catalogue/import/<str:token>/", catalogue.unit_import_preview, name="unit_import_preview"),
    path(
        "centres/<int:centre_id>/qualifications/<int:qualification_id>/register/",
        qualifications.qualification_register, name="qualification_register",
    ),
    path(
        "centres/<int:centre_id>/candidates/<int:candidate_id>/identifiers/",
        qualifications.candidate_identifiers, name="candidate_identifiers",
    ),
    # A candidate's evidence.
    path("evidence/", evidence.evidence_list, name="evidence_list"),
    path("evidence/new/", evidence.evidence_create, name="evidence_create"),
    path("evidence/<int:pk>/edit/", evidence.evidence_edit, name="evidence_edit"),
    path("evidence/<int:pk>/map/", evidence.evidence_map, name="evidence_map"),
    path("evidence/<int:pk>/submit/", evidence.evidence_submit, name="evidence_submit"),
    path("evidence/<int:pk>/delete/", evidence.evidence_delete, name="evidence_delete"),
    # A person's own account: their name, which they alone change.
    path("account/", account.account, name="account"),
    # A person's notifications.
    path("notifications/", notifications.notification_list, name="notification_list"),
    path("notifications/<int:pk>/", notifications.notification_open, name="notification_open"),
    path("notifications/settings/", notifications.notification_preferences, name="notification_preferences"),
    path("notifications/read/", notifications.notifications_mark_read, name="notifications_mark_read"),
    # Files leave only through these permission-checked views: downloaded, shown, a picture's preview.
    path("files/<int:pk>/", files.evidence_file_download, name="evidence_file"),
    path("files/<int:pk>/view/", files.evidence_file_view, name="evidence_file_view"),
    path("files/<int:pk>/preview/", files.evidence_file_preview, name="evidence_file_preview"),
]
