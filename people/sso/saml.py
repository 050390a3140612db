"""SAML 2.0 sign-in as a service provider: an AuthnRequest sent to the identity provider by the
HTTP-Redirect binding, its Response received by HTTP-POST at the assertion consumer service.

signxml checks the XML signatures (pure Python on lxml and cryptography, which both install from
wheels; python3-saml needs the xmlsec bindings and pysaml2 the xmlsec1 program, neither of which a
plain `pip install` brings). The rest is here, and only the signed element is read (an unsigned
assertion wrapped beside a signed one is never looked at): one assertion, signed by the provider
of the metadata (SAML_METADATA_URL), from its entity id, for our entity id (audience), at our
consumer URL (recipient, destination), within its validity window, in response to a request this
browser started (InResponseTo, used once) and never seen before (its ID, remembered until it
expires)."""

import base64
import datetime
import logging
import secrets
import zlib
from urllib.parse import urlencode

import requests
from django.conf import settings
from django.core.cache import cache
from django.utils import timezone
from lxml import etree
from signxml import InvalidInput, XMLVerifier
from signxml.exceptions import InvalidSignature

from people.sso.identities import SSORefused, begin, finish, person_for_identity, remember_once

logger = logging.getLogger(__name__)

PROTOCOL = "SAML"
NS = {
    "md": "urn:oasis:names:tc:SAML:2.0:metadata",
    "ds": "http://www.w3.org/2000/09/xmldsig#",
    "saml": "urn:oasis:names:tc:SAML:2.0:assertion",
    "samlp": "urn:oasis:names:tc:SAML:2.0:protocol",
}
REDIRECT_BINDING = "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect"
POST_BINDING = "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST"
SUCCESS = "urn:oasis:names:tc:SAML:2.0:status:Success"
BEARER = "urn:oasis:names:tc:SAML:2.0:cm:bearer"
LEEWAY = datetime.timedelta(seconds=90)
METADATA_CACHE_SECONDS = 600
TIMEOUT = 15
ATTRIBUTES = ("first_name", "last_name", "phone")  # the reference's attribute names
PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, remove_comments=True)


def is_enabled():
    return bool(settings.SAML_ENABLED and settings.SAML_METADATA_URL)


# --- the provider's metadata ----------------------------------------------------------------------


def provider_metadata():
    """{"entity_id", "sso_url", "certificates"} of the identity provider, kept a few minutes."""
    key = f"saml-metadata:{settings.SAML_METADATA_URL}"
    metadata = cache.get(key)
    if metadata is None:
        try:
            response = requests.get(settings.SAML_METADATA_URL, timeout=TIMEOUT)
            response.raise_for_status()
            metadata = read_metadata(response.content)
        except (requests.RequestException, etree.XMLSyntaxError, ValueError) as exc:
            logger.warning("SAML: could not read the metadata: %s", exc)
            raise SSORefused("The identity provider's metadata could not be read.") from exc
        cache.set(key, metadata, METADATA_CACHE_SECONDS)
    return metadata


def read_metadata(content):
    root = etree.fromstring(content, PARSER)
    descriptor = (
        root if root.tag == f"{{{NS['md']}}}EntityDescriptor" else root.find(".//md:EntityDescriptor", NS)
    )
    idp = descriptor.find("md:IDPSSODescriptor", NS) if descriptor is not None else None
    if idp is None:
        raise ValueError("no IDPSSODescriptor")
    sso = idp.find(f"md:SingleSignOnService[@Binding='{REDIRECT_BINDING}']", NS)
    certificates = [
        "".join(node.text.split())
        for descriptor_key in idp.findall("md:KeyDescriptor", NS)
        if descriptor_key.get("use") in (None, "signing")
        for node in descriptor_key.findall(".//ds:X509Certificate", NS)
        if node.text
    ]
    if sso is None or not certificates:
        raise ValueError("no redirect sign-on service or no signing certificate")
    return {
        "entity_id": descriptor.get("entityID"),
        "sso_url": sso.get("Location"),
        "certificates": certificates,
    }


def pem(certificate):
    lines = [certificate[i : i + 64] for i in range(0, len(certificate), 64)]
    return "-----BEGIN CERTIFICATE-----\n" + "\n".join(lines) + "\n-----END CERTIFICATE-----\n"


# --- the request ----------------------------------------------------------------------------------


def start_login(entity_id, acs_url):
    """(the provider's sign-on URL with the AuthnRequest, the browser secret)."""
    metadata = provider_metadata()
    request_id = f"_{secrets.token_hex(20)}"
    issued = timezone.now().strftime("%Y-%m-%dT%H:%M:%SZ")
    request = etree.Element(
        f"{{{NS['samlp']}}}AuthnRequest",
        nsmap={"samlp": NS["samlp"], "saml": NS["saml"]},
        ID=request_id,
        Version="2.0",
        IssueInstant=issued,
        Destination=metadata["sso_url"],
        AssertionConsumerServiceURL=acs_url,
        ProtocolBinding=POST_BINDING,
    )
    etree.SubElement(request, f"{{{NS['saml']}}}Issuer").text = entity_id
    etree.SubElement(
        request,
        f"{{{NS['samlp']}}}NameIDPolicy",
        Format="urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress",
        AllowCreate="true",
    )
    deflate = zlib.compressobj(wbits=-15)
    encoded = base64.b64encode(deflate.compress(etree.tostring(request)) + deflate.flush()).decode()
    browser = begin(PROTOCOL, request_id, {"acs_url": acs_url, "entity_id": entity_id})
    separator = "&" if "?" in metadata["sso_url"] else "?"
    return f"{metadata['sso_url']}{separator}{urlencode({'SAMLRequest': encoded})}", browser


# --- the response ---------------------------------------------------------------------------------


def finish_login(saml_response, browser, entity_id, acs_url):
    """The person a posted SAMLResponse signs in, once every check passed."""
    if not saml_response:
        raise SSORefused("SAML response missing.")
    try:
        document = base64.b64decode(saml_response, validate=False)
        root = etree.fromstring(document, PARSER)
    except (ValueError, etree.XMLSyntaxError) as exc:
        raise SSORefused("SAML response unreadable.") from exc
    if root.tag != f"{{{NS['samlp']}}}Response":
        raise SSORefused("SAML response unreadable.")
    status = root.find("samlp:Status/samlp:StatusCode", NS)
    if status is None or status.get("Value") != SUCCESS:
        value = status.get("Value", "").rsplit(":", 1)[-1] if status is not None else "no status"
        raise SSORefused(f"The identity provider refused the sign-in: {value}.")
    if (
        len(root.findall(".//saml:Assertion", NS)) != 1
        or root.find(".//saml:EncryptedAssertion", NS) is not None
    ):
        raise SSORefused("SAML response refused: exactly one (unencrypted) assertion is expected.")
    metadata = provider_metadata()
    assertion = signed_assertion(document, metadata)
    in_response_to = root.get("InResponseTo")
    if in_response_to:
        finish(PROTOCOL, in_response_to, browser, browser_required=False)
    elif not settings.SAML_ALLOW_UNSOLICITED:
        raise SSORefused("SAML response to no request of ours (unsolicited).")
    if root.get("Destination") not in (None, acs_url):
        raise SSORefused("SAML response for another consumer (destination).")
    expires = check_assertion(assertion, metadata, entity_id, acs_url, in_response_to)
    remember_once("sso-seen", f"saml:{assertion.get('ID')}", expires)
    email = text_of(assertion.find("saml:Subject/saml:NameID", NS))
    attributes = read_attributes(assertion)
    info = {name: attributes[name] for name in ATTRIBUTES if attributes.get(name)}
    subject = None
    if settings.SAML_SUBJECT_ATTRIBUTE:
        subject = attributes.get(settings.SAML_SUBJECT_ATTRIBUTE)
        if not subject:
            raise SSORefused(f"SAML assertion without its {settings.SAML_SUBJECT_ATTRIBUTE} attribute.")
    return person_for_identity("saml", metadata["entity_id"], subject, email, info)


def signed_assertion(document, metadata):
    """The assertion as signed by one of the provider's certificates: the signed element itself,
    or the one assertion of a signed response; never an element outside the signature."""
    error = None
    for certificate in metadata["certificates"]:
        try:
            result = XMLVerifier().verify(document, x509_cert=pem(certificate), parser=PARSER)
            break
        except (InvalidSignature, InvalidInput, etree.LxmlError, ValueError) as exc:  # a malformed one too
            error = exc
    else:
        logger.info("SAML signature refused: %s", error)
        raise SSORefused("SAML response refused: its signature is wrong or missing.")
    signed = result.signed_xml
    if signed.tag == f"{{{NS['saml']}}}Assertion":
        return signed
    assertions = signed.findall("saml:Assertion", NS)
    if signed.tag == f"{{{NS['samlp']}}}Response" and len(assertions) == 1:
        return assertions[0]
    raise SSORefused("SAML response refused: its signature is wrong or missing.")


def check_assertion(assertion, metadata, entity_id, acs_url, in_response_to):
    """Refuse an assertion of another issuer, for another audience or recipient, or outside its
    validity window; answers until when it is valid (to remember its ID that long)."""
    now = timezone.now()
    if text_of(assertion.find("saml:Issuer", NS)) != metadata["entity_id"]:
        raise SSORefused("SAML assertion of another issuer.")
    conditions = assertion.find("saml:Conditions", NS)
    if conditions is None:
        raise SSORefused("SAML assertion without conditions.")
    not_before, not_after = instant(conditions.get("NotBefore")), instant(conditions.get("NotOnOrAfter"))
    if not_before is not None and now + LEEWAY < not_before:
        raise SSORefused("SAML assertion not valid yet.")
    if not_after is None or now - LEEWAY >= not_after:
        raise SSORefused("SAML assertion expired.")
    audiences = [text_of(node) for node in conditions.findall("saml:AudienceRestriction/saml:Audience", NS)]
    if entity_id not in audiences:
        raise SSORefused("SAML assertion for another audience.")
    confirmations = [
        node.find("saml:SubjectConfirmationData", NS)
        for node in assertion.findall("saml:Subject/saml:SubjectConfirmation", NS)
        if node.get("Method") == BEARER
    ]
    valid = [
        data
        for data in confirmations
        if data is not None
        and data.get("Recipient") == acs_url
        and data.get("InResponseTo") == in_response_to
        and (instant(data.get("NotOnOrAfter")) or not_after) > now - LEEWAY
    ]
    if not valid:
        raise SSORefused("SAML assertion for another recipient or request, or expired.")
    return not_after + LEEWAY


def read_attributes(assertion):
    """{name: value} of the assertion's attributes; several values are joined by spaces."""
    attributes = {}
    for node in assertion.findall("saml:AttributeStatement/saml:Attribute", NS):
        values = [text_of(value) for value in node.findall("saml:AttributeValue", NS)]
        attributes[node.get("Name")] = " ".join(value for value in values if value)
    return attributes


def text_of(node):
    return (node.text or "").strip() if node is not None else ""


def instant(text):
    if not text:
        return None
    try:
        value = datetime.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError as exc:
        raise SSORefused("SAML assertion with an unreadable date.") from exc
    return value if value.tzinfo else value.replace(tzinfo=datetime.UTC)
