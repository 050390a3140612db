"""Authentication of Django's own logins (the back-office), by the API login's rules."""

from django.contrib.auth.backends import ModelBackend

from people.auth.authentication import client_address
from people.auth.credentials import authenticate_login, second_factor_codes
from people.auth.passwords import DEFAULT_PASSWORD
from people.auth.refusals import AuthRefused
from people.models import Person


class EmailBackend(ModelBackend):
    """Email (any case) or desktop login and password, checked as `POST /auth/login` checks them.

    The same per-account lockout, per-address failure count and second factor
    hold at both doors (people.auth.credentials.authenticate_login), so the back-office is
    no way around a locked account or a two-factor authentication. `otp` is the
    login form's two-factor code. A refusal is left on the request as
    `login_refusal` for the login form to tell (e.g. the lockout).
    """

    def authenticate(self, request, username=None, password=None, email=None, otp=None, **kwargs):
        identifier = email or username or kwargs.get(Person.USERNAME_FIELD)
        if not identifier or password is None:
            return None
        address = client_address(request) if request is not None else None
        try:
            person = authenticate_login(identifier, password, address, **second_factor_codes(otp))
        except AuthRefused as refusal:
            if request is not None:
                request.login_refusal = refusal
            return None
        if password == DEFAULT_PASSWORD:
            return None  # to be changed first, through Kitsu's login page
        return person if self.user_can_authenticate(person) else None

    def get_user(self, user_id):
        person = Person.objects.filter(pk=user_id).first()
        return person if person is not None and self.user_can_authenticate(person) else None
