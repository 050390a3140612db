"""A SAML identity provider for the tests, built on signxml (the library our service provider
checks signatures with): its metadata served on an ephemeral port, AuthnRequests read from the
HTTP-Redirect URL our server sends the browser to, Responses built and signed (an RSA key and a
self-signed certificate made with cryptography) as a real provider posts them, or broken on
purpose."""

import base64
import datetime
import secrets
import zlib
from urllib.parse import parse_qs, urlsplit

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from lxml import etree
from signxml import XMLSigner

from tests.local_server import JSONHandler, LocalServer

SAMLP = "urn:oasis:names:tc:SAML:2.0:protocol"
SAML = "urn:oasis:names:tc:SAML:2.0:assertion"
DS = "http://www.w3.org/2000/09/xmldsig#"
EXC_C14N = "http://www.w3.org/2001/10/xml-exc-c14n#"


def key_and_certificate(name="Test IdP"):
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=30))
        .sign(key, hashes.SHA256())
    )
    return key, certificate.public_bytes(serialization.Encoding.PEM).decode()


def instant(moment):
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


class SAMLProvider(LocalServer):
    def __init__(self):
        self.key, self.certificate = key_and_certificate()
        provider = self

        class Handler(JSONHandler):
            def do_GET(self):
                if urlsplit(self.path).path != "/metadata":
                    return self.answer(404, {})
                data = provider.metadata().encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/samlmetadata+xml")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        self.serve(Handler)

    @property
    def entity_id(self):
        return f"{self.url}/metadata"

    def metadata(self):
        body = "".join(self.certificate.strip().splitlines()[1:-1])
        return f"""<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata"
    xmlns:ds="{DS}" entityID="{self.entity_id}">
  <md:IDPSSODescriptor protocolSupportEnumeration="{SAMLP}">
    <md:KeyDescriptor use="signing"><ds:KeyInfo><ds:X509Data>
      <ds:X509Certificate>{body}</ds:X509Certificate>
    </ds:X509Data></ds:KeyInfo></md:KeyDescriptor>
    <md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect"
        Location="{self.url}/sso"/>
  </md:IDPSSODescriptor>
</md:EntityDescriptor>"""

    @staticmethod
    def read_request(location):
        """The AuthnRequest of the redirect URL our server answered: (its XML root, its query)."""
        query = {k: v[0] for k, v in parse_qs(urlsplit(location).query).items()}
        xml = zlib.decompress(base64.b64decode(query["SAMLRequest"]), -15)
        return etree.fromstring(xml), query

    def response(
        self,
        request,
        email="saml.person@studio.test",
        attributes=None,
        audience=None,
        recipient=None,
        lifetime=datetime.timedelta(minutes=5),
        in_response_to=True,
        key=None,
        certificate=None,
        issuer=None,
        status="urn:oasis:names:tc:SAML:2.0:status:Success",
        signed=True,
    ):
        """A Response to `request` (the AuthnRequest's root), its assertion signed; base64."""
        now = datetime.datetime.now(datetime.UTC)
        request_id = request.get("ID") if in_response_to else None
        acs = request.get("AssertionConsumerServiceURL")
        response_id, assertion_id = f"_r{secrets.token_hex(16)}", f"_a{secrets.token_hex(16)}"
        response_attributes = {
            "ID": response_id,
            "Version": "2.0",
            "IssueInstant": instant(now),
            "Destination": acs,
        }
        if request_id:
            response_attributes["InResponseTo"] = request_id
        root = etree.Element(
            f"{{{SAMLP}}}Response", nsmap={"samlp": SAMLP, "saml": SAML}, **response_attributes
        )
        etree.SubElement(root, f"{{{SAML}}}Issuer").text = self.entity_id
        status_node = etree.SubElement(root, f"{{{SAMLP}}}Status")
        etree.SubElement(status_node, f"{{{SAMLP}}}StatusCode", Value=status)
        assertion = self.assertion(
            assertion_id,
            now,
            email,
            attributes or {"first_name": ["Saml"], "last_name": ["Person"]},
            audience or request.findtext(f"{{{SAML}}}Issuer"),
            recipient or acs,
            lifetime,
            request_id,
            issuer or self.entity_id,
        )
        if signed:
            assertion = self.sign(assertion, key or self.key, certificate or self.certificate)
        elif signed is False:  # None: the empty signature placeholder is left, a malformed signature
            assertion.remove(assertion.find(f"{{{DS}}}Signature"))
        root.append(assertion)
        return base64.b64encode(etree.tostring(root)).decode()

    def assertion(
        self, assertion_id, now, email, attributes, audience, recipient, lifetime, request_id, issuer
    ):
        assertion = etree.Element(
            f"{{{SAML}}}Assertion",
            nsmap={"saml": SAML},
            ID=assertion_id,
            Version="2.0",
            IssueInstant=instant(now),
        )
        etree.SubElement(assertion, f"{{{SAML}}}Issuer").text = issuer
        etree.SubElement(assertion, f"{{{DS}}}Signature", nsmap={"ds": DS}, Id="placeholder")
        subject = etree.SubElement(assertion, f"{{{SAML}}}Subject")
        name_id = etree.SubElement(
            subject, f"{{{SAML}}}NameID", Format="urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress"
        )
        name_id.text = email
        confirmation = etree.SubElement(
            subject, f"{{{SAML}}}SubjectConfirmation", Method="urn:oasis:names:tc:SAML:2.0:cm:bearer"
        )
        data = {"Recipient": recipient, "NotOnOrAfter": instant(now + lifetime)}
        if request_id:
            data["InResponseTo"] = request_id
        etree.SubElement(confirmation, f"{{{SAML}}}SubjectConfirmationData", **data)
        conditions = etree.SubElement(
            assertion,
            f"{{{SAML}}}Conditions",
            NotBefore=instant(now - datetime.timedelta(minutes=1)),
            NotOnOrAfter=instant(now + lifetime),
        )
        restriction = etree.SubElement(conditions, f"{{{SAML}}}AudienceRestriction")
        etree.SubElement(restriction, f"{{{SAML}}}Audience").text = audience
        statement = etree.SubElement(assertion, f"{{{SAML}}}AttributeStatement")
        for name, values in attributes.items():
            attribute = etree.SubElement(statement, f"{{{SAML}}}Attribute", Name=name)
            for value in values:
                etree.SubElement(attribute, f"{{{SAML}}}AttributeValue").text = value
        return assertion

    @staticmethod
    def sign(assertion, key, certificate):
        signer = XMLSigner(c14n_algorithm=EXC_C14N)
        return signer.sign(
            assertion, key=key, cert=certificate, reference_uri=assertion.get("ID"), id_attribute="ID"
        )


def response_xml(encoded):
    return etree.fromstring(base64.b64decode(encoded))


def encode(root):
    return base64.b64encode(etree.tostring(root)).decode()
