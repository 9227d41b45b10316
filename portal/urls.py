from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path, reverse_lazy

from portal.views import account, accounts, pages

admin.site.site_header = "Imaging Precert Portal administration"
admin.site.site_title = "Portal administration"

handler403 = "portal.views.pages.error_403"
handler404 = "portal.views.pages.error_404"

account_patterns = [
    path("login/", accounts.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("register/", accounts.register, name="register"),
    path("register/done/", accounts.register_done, name="register_done"),
    path("confirm/resend/", accounts.resend_confirmation, name="resend_confirmation"),
    path("confirm/<uidb64>/<token>/", accounts.confirm_email, name="confirm_email"),
    path("invitation/<uidb64>/<token>/", accounts.invitation_accept, name="invitation_accept"),
    path("password/change/", accounts.password_change, name="password_change"),
    path(
        "password/change/done/",
        auth_views.PasswordChangeDoneView.as_view(
            template_name="registration/password_change_done.html"
        ),
        name="password_change_done",
    ),
    path(
        "password/reset/",
        auth_views.PasswordResetView.as_view(
            template_name="registration/password_reset.html",
            email_template_name="registration/emails/password_reset.txt",
            subject_template_name="registration/emails/password_reset_subject.txt",
            success_url=reverse_lazy("password_reset_done"),
        ),
        name="password_reset",
    ),
    path(
        "password/reset/sent/",
        auth_views.PasswordResetDoneView.as_view(
            template_name="registration/password_reset_sent.html"
        ),
        name="password_reset_done",
    ),
    path(
        "password/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(
            template_name="registration/password_reset_confirm.html",
            success_url=reverse_lazy("password_reset_complete"),
        ),
        name="password_reset_confirm",
    ),
    path(
        "password/reset/complete/",
        auth_views.PasswordResetCompleteView.as_view(
            template_name="registration/password_reset_complete.html"
        ),
        name="password_reset_complete",
    ),
]

manage_patterns = [
    path("", account.account, name="account"),
    path("edit/", account.account_edit, name="account_edit"),
    path("practitioners/add/", account.practitioner_add, name="practitioner_add"),
    path("practitioners/<int:pk>/remove/", account.practitioner_remove, name="practitioner_remove"),
    path("users/", account.office_users, name="office_users"),
    path("users/invite/", account.office_user_invite, name="office_user_invite"),
    path("users/<int:pk>/active/", account.office_user_set_active, name="office_user_set_active"),
    path("users/<int:pk>/remove/", account.office_user_remove, name="office_user_remove"),
    path(
        "users/<int:pk>/invitation/",
        account.office_user_invitation_resend,
        name="office_user_invitation_resend",
    ),
]

urlpatterns = [
    path("", pages.home, name="home"),
    path("help/", pages.help_page, name="help"),
    path("soon/<slug:feature>/", pages.not_available, name="not_available"),
    path("session/status/", pages.session_status, name="session_status"),
    path("session/keepalive/", pages.session_keepalive, name="session_keepalive"),
    path("accounts/", include(account_patterns)),
    path("account/", include(manage_patterns)),
    path("", include("payers.urls")),
    path("", include("clinical.urls")),
    path("cases/", include("cases.urls")),
    path("review/", include("review.urls")),
    path("admin/", admin.site.urls),
]
