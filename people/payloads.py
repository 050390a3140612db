"""What the API sends of a person and of the organisation (the reference leaves out its
SENSITIVE_FIELDS), and the organisation row itself, created on first use."""

from django.db import IntegrityError, transaction

from kitsu_server.api.json import ModelShape, serialize_instance
from people.crud import PersonsPolicy
from people.models import Organisation, Person

# What a client may read of a person and of the organisation (the reference's SENSITIVE_FIELDS).
SSO_COLUMNS = ("oidc_issuer", "oidc_subject", "saml_issuer", "saml_subject")
PERSON_SHAPE = ModelShape(Person, hidden=(*PersonsPolicy.hidden_columns, *SSO_COLUMNS))
ORGANISATION_SECRETS = ("chat_token_slack", "chat_webhook_mattermost", "chat_token_discord")
ORGANISATION_SHAPE = ModelShape(Organisation)
PUBLIC_ORGANISATION_SHAPE = ModelShape(Organisation, hidden=ORGANISATION_SECRETS)


def person_data(person, with_fido_devices=False):
    """The person as the auth routes send it: no secret, with `full_name` and `departments`."""
    data = serialize_instance(person, relations=True, shape=PERSON_SHAPE)
    data["full_name"] = person.full_name
    if with_fido_devices:
        data["fido_devices"] = [credential.get("device_name") for credential in person.fido_credentials or []]
    return data


def get_organisation():
    """The organisation of this instance, created on first use like the reference does."""
    organisation = Organisation.objects.order_by("created_at", "pk").first()
    if organisation is not None:
        return organisation
    try:
        with transaction.atomic():
            return Organisation.objects.create(name="Kitsu")
    except IntegrityError:  # created concurrently
        return Organisation.objects.order_by("created_at", "pk").first()


def organisation_data(sensitive=False):
    shape = ORGANISATION_SHAPE if sensitive else PUBLIC_ORGANISATION_SHAPE
    return serialize_instance(get_organisation(), shape=shape)
