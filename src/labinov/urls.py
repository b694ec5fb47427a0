from django.contrib.auth import views as auth_views
from django.urls import include, path

from labinov.api import views as api_views
from labinov.api.api import api
from labinov.core import views as core_views
from labinov.people import account_views
from labinov.people import privacy_views
from labinov.people import views as people_views
from labinov.programs import views as program_views
from labinov.regions import unit_import_views
from labinov.regions import views as region_views

pemda_patterns = [
    path("", region_views.pemda_detail, name="pemda_detail"),
    path("edit/", region_views.pemda_edit, name="pemda_edit"),
    path("logo/", region_views.pemda_logo, name="pemda_logo"),
    path("audit/", core_views.audit, name="audit_list"),
    path("units/", region_views.unit_list, name="unit_list"),
    path("units/new/", region_views.unit_create, name="unit_create"),
    path("units/<id:pk>/edit/", region_views.unit_edit, name="unit_edit"),
    path("units/generate/", region_views.unit_generate, name="unit_generate"),
    path("units/import/", unit_import_views.upload, name="unit_import"),
    path("units/import/template.xlsx", unit_import_views.template, name="unit_import_template"),
    path("units/import/<id:batch>/", unit_import_views.preview, name="unit_import_preview"),
    path("people/", people_views.person_list, name="person_list"),
    path("people/new/", people_views.person_create, name="person_create"),
    path("people/<id:pk>/edit/", people_views.person_edit, name="person_edit"),
    path("people/<id:pk>/anonymise/", privacy_views.person_anonymise, name="person_anonymise"),
    path("members/", people_views.member_list, name="member_list"),
    path("members/invite/", people_views.member_invite, name="member_invite"),
    path("members/<id:pk>/revoke/", people_views.member_revoke, name="member_revoke"),
    path("members/<id:pk>/unlock/", account_views.member_unlock, name="member_unlock"),
    path("members/<id:pk>/anonymise/", privacy_views.member_anonymise, name="member_anonymise"),
    path("invitations/<id:pk>/resend/", people_views.invitation_resend, name="invitation_resend"),
    path("invitations/<id:pk>/cancel/", people_views.invitation_cancel, name="invitation_cancel"),
    path("programs/", program_views.program_list, name="program_list"),
    path("programs/new/", program_views.program_create, name="program_create"),
    path("programs/<id:pk>/", program_views.program_detail, name="program_detail"),
    path("programs/<id:pk>/edit/", program_views.program_edit, name="program_edit"),
    path("programs/<id:pk>/advance/", program_views.program_advance, name="program_advance"),
    path("programs/<id:pk>/units/", program_views.program_units, name="program_units"),
    path("programs/<id:program>/", include("labinov.ideas.urls")),
    path("programs/<id:program>/", include("labinov.innovations.urls_program")),
    path("programs/<id:program>/", include("labinov.delivery.urls_program")),
    path("innovations/<id:innovation>/", include("labinov.innovations.urls")),
    path("innovations/<id:innovation>/", include("labinov.delivery.urls_innovation")),
    path("events/", program_views.event_list, name="event_list"),
    path("events/new/", program_views.event_create, name="event_create"),
    path("events/<id:pk>/", program_views.event_detail, name="event_detail"),
    path("events/<id:pk>/edit/", program_views.event_edit, name="event_edit"),
    path("events/<id:pk>/attendance/", program_views.event_attendance, name="event_attendance"),
    path("events/<id:pk>/attendance/sheet/", program_views.event_attendance_sheet, name="event_attendance_sheet"),
]

handler400 = "labinov.core.error_views.bad_request"
handler403 = "labinov.core.error_views.permission_denied"
handler404 = "labinov.core.error_views.page_not_found"
handler500 = "labinov.core.error_views.server_error"

urlpatterns = [
    path("", core_views.home, name="home"),
    path("login/", account_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password/reset/", account_views.PasswordResetView.as_view(), name="password_reset"),
    path("password/reset/sent/", auth_views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path("password/reset/<uidb64>/<token>/", auth_views.PasswordResetConfirmView.as_view(), name="password_reset_confirm"),
    path("password/reset/done/", auth_views.PasswordResetCompleteView.as_view(), name="password_reset_complete"),
    path("account/password/", account_views.PasswordChangeView.as_view(), name="password_change"),
    path("account/password/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("account/tokens/", api_views.token_list, name="api_token_list"),
    path("account/tokens/revoke/", api_views.token_revoke, name="api_token_revoke"),
    path("account/data/", privacy_views.my_data, name="my_data"),
    path("account/data.json", privacy_views.my_data_json, name="my_data_json"),
    path("invitation/<str:token>/", people_views.invitation_accept, name="invitation_accept"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("regions/", core_views.region_search, name="region_search"),
    path("pemda/", region_views.pemda_list, name="pemda_list"),
    path("pemda/enable/", region_views.pemda_enable, name="pemda_enable"),
    path("national/", people_views.national_members, name="national_members"),
    path("national/<id:pk>/revoke/", people_views.national_member_revoke, name="national_member_revoke"),
    path("national/locks/", account_views.lock_list, name="lock_list"),
    path("national/locks/<id:pk>/unlock/", account_views.lock_release, name="lock_release"),
    path("pemda/<slug:pemda>/", include(pemda_patterns)),
    path("katalog/", include("labinov.catalog.urls")),
    path("api/v1/", api.urls),
]
