"""Authentication of Django's own logins (the back-office), by the API login's rules."""

from django.contrib.auth.backends import ModelBackend

from people import auth_services
from people.authentication import client_address
from people.models import Person


class EmailBackend(ModelBackend):
    """Email (any case) or desktop login and password, checked as `POST /auth/login` checks them.

    The same per-account lockout and per-address failure count hold at both
    doors (auth_services.authenticate_login), so the back-office is no way
    around a locked account. A refusal is left on the request as
    `login_refusal` for the login form to tell (e.g. the lockout).
    The back-office asks no second factor: its login form has no field for one.
    """

    def authenticate(self, request, username=None, password=None, email=None, **kwargs):
        identifier = email or username or kwargs.get(Person.USERNAME_FIELD)
        if not identifier or password is None:
            return None
        address = client_address(request) if request is not None else None
        try:
            person = auth_services.authenticate_login(identifier, password, address, with_otp=False)
        except auth_services.AuthRefused as refusal:
            if request is not None:
                request.login_refusal = refusal
            return None
        if password == auth_services.DEFAULT_PASSWORD:
            return None  # to be changed first, through Kitsu's login page
        return person if self.user_can_authenticate(person) else None

    def get_user(self, user_id):
        person = Person.objects.filter(pk=user_id).first()
        return person if person is not None and self.user_can_authenticate(person) else None
