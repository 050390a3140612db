"""Kitsu routes served by the `people` app, one line each (see kitsu_server.routing.kitsu_path)."""

from kitsu_server.routing import kitsu_path
from people.auth import views as auth_views

urlpatterns = [
    kitsu_path("/auth/login", auth_views.LoginView.as_view(), name="auth-login"),
    kitsu_path("/auth/logout", auth_views.LogoutView.as_view(), name="auth-logout"),
    kitsu_path("/auth/authenticated", auth_views.AuthenticatedView.as_view(), name="auth-authenticated"),
    kitsu_path("/auth/refresh-token", auth_views.RefreshTokenView.as_view(), name="auth-refresh-token"),
    kitsu_path("/auth/change-password", auth_views.ChangePasswordView.as_view(), name="auth-change-password"),
    kitsu_path("/auth/reset-password", auth_views.ResetPasswordView.as_view(), name="auth-reset-password"),
    kitsu_path("/auth/totp", auth_views.TOTPView.as_view(), name="auth-totp"),
    kitsu_path("/auth/email-otp", auth_views.EmailOTPView.as_view(), name="auth-email-otp"),
    kitsu_path("/auth/recovery-codes", auth_views.RecoveryCodesView.as_view(), name="auth-recovery-codes"),
    kitsu_path("/auth/app-login/code", auth_views.AppLoginCodeView.as_view(), name="auth-app-login-code"),
    kitsu_path("/auth/app-login/token", auth_views.AppLoginTokenView.as_view(), name="auth-app-login-token"),
]
