"""Kitsu routes of the `/auth/...` area, one line each (see kitsu_server.routing.kitsu_path)."""

from kitsu_server.routing import kitsu_path
from people.auth import views

urlpatterns = [
    kitsu_path("/auth/login", views.LoginView.as_view(), name="auth-login"),
    kitsu_path("/auth/logout", views.LogoutView.as_view(), name="auth-logout"),
    kitsu_path("/auth/authenticated", views.AuthenticatedView.as_view(), name="auth-authenticated"),
    kitsu_path("/auth/refresh-token", views.RefreshTokenView.as_view(), name="auth-refresh-token"),
    kitsu_path("/auth/change-password", views.ChangePasswordView.as_view(), name="auth-change-password"),
    kitsu_path("/auth/reset-password", views.ResetPasswordView.as_view(), name="auth-reset-password"),
    kitsu_path("/auth/totp", views.TOTPView.as_view(), name="auth-totp"),
    kitsu_path("/auth/email-otp", views.EmailOTPView.as_view(), name="auth-email-otp"),
    kitsu_path("/auth/recovery-codes", views.RecoveryCodesView.as_view(), name="auth-recovery-codes"),
    kitsu_path("/auth/app-login/code", views.AppLoginCodeView.as_view(), name="auth-app-login-code"),
    kitsu_path("/auth/app-login/token", views.AppLoginTokenView.as_view(), name="auth-app-login-token"),
]
