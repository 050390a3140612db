"""Authentication by email, as the reference does."""

from django.contrib.auth.backends import ModelBackend

from people.models import Person


class EmailBackend(ModelBackend):
    """Find the person by email (case-insensitive, bots excluded), check the password.

    Person.email is unique among non-bots only (a partial constraint), so the
    lookup is spelled out here instead of relying on a unique username.
    """

    def authenticate(self, request, username=None, password=None, email=None, **kwargs):
        email = email or username or kwargs.get(Person.USERNAME_FIELD)
        if not email or password is None:
            return None
        person = Person.objects.filter(email__iexact=email.strip(), is_bot=False).first()
        if person is None:
            Person().set_password(password)  # same work as a real check: no timing oracle
            return None
        if person.check_password(password) and self.user_can_authenticate(person):
            return person
        return None

    def get_user(self, user_id):
        person = Person.objects.filter(pk=user_id).first()
        return person if person is not None and self.user_can_authenticate(person) else None
