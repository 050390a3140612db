"""Kitsu routes of single sign-on (`/auth/oidc/...`, `/auth/saml/...`, `/auth/fido`), one line each."""

from kitsu_server.routing import kitsu_path
from people.sso import views

urlpatterns = [
    kitsu_path("/auth/fido", views.FIDOView.as_view(), name="auth-fido"),
    kitsu_path("/auth/oidc/login", views.OIDCLoginView.as_view(), name="auth-oidc-login"),
    kitsu_path("/auth/oidc/callback", views.OIDCCallbackView.as_view(), name="auth-oidc-callback"),
    kitsu_path("/auth/saml/login", views.SAMLLoginView.as_view(), name="auth-saml-login"),
    kitsu_path("/auth/saml/sso", views.SAMLSSOView.as_view(), name="auth-saml-sso"),
]
