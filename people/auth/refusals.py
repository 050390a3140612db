"""The refusals of the auth routes, in the reference's words.

Each is an `AuthRefused` carrying the reference's status and body (`{"error": true, "message": ...}`
plus the flags Kitsu reads, such as `too_many_failed_login_attemps`); the auth views render it.
The refusals of a second factor (`MissingOTP`) live with it in `people.auth.two_factor`.
"""


class AuthRefused(Exception):
    """A refusal in the reference's words: `status`, `message` and the flags of its body."""

    status = 400
    headers = None

    def __init__(self, message, status=None, **flags):
        super().__init__(message)
        self.message = message
        if status is not None:
            self.status = status
        self.flags = flags

    def body(self):
        return {"error": True, "message": self.message, **self.flags}


class WrongCredentials(AuthRefused):
    def __init__(self):
        super().__init__("Wrong email or password.", login=False)


class InactivePerson(AuthRefused):
    def __init__(self):
        super().__init__("User is unactive, he cannot log in.", status=401, login=False, unactive=True)


class TooManyFailedLogins(AuthRefused):
    def __init__(self):
        super().__init__(
            "Too many failed login attempts, retry in a minute.",
            login=False,
            too_many_failed_login_attemps=True,
        )


class TooManyFailuresFromAddress(AuthRefused):
    def __init__(self, wait):
        super().__init__(
            f"Too many failed login attempts from this address, retry in {wait} seconds.",
            status=429,
            login=False,
            too_many_failed_login_attemps=True,
        )
        self.headers = {"Retry-After": str(wait)}


class WrongOTP(AuthRefused):
    def __init__(self):
        super().__init__("Wrong two-factor authentication code.", login=False, wrong_OTP=True)


class DefaultPassword(AuthRefused):
    def __init__(self, token):
        super().__init__(
            "The default password must be changed.", login=False, default_password=True, token=token
        )


class OTPVerificationFailed(AuthRefused):
    def __init__(self, message="OTP verification failed."):
        super().__init__(message, wrong_OTP=True)
