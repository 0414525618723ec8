"""Where each seal's key lives and how one is made: a centre's own (CentreSeal, in the database,
encrypted) or the installation's (a PKCS#12 file named by the settings) for centres without one.

A made seal is a self-made root certificate, kept only as a certificate (its key signs the
signing certificate and is then thrown away, so it cannot leak), and a signing certificate under
it. Both outlast the retention period of the records they seal (docs/exports.md)."""

import base64
import datetime
import hashlib
import hmac
import os
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from asn1crypto import keys as asn1_keys
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.asymmetric.ec import ECDSA, EllipticCurvePrivateKey
from cryptography.hazmat.primitives.asymmetric.padding import PKCS1v15
from cryptography.hazmat.primitives.asymmetric.types import PrivateKeyTypes
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from pyhanko.sign.signers import SimpleSigner
from pyhanko_certvalidator.registry import SimpleCertificateStore
from pyhanko_certvalidator.util import get_pyca_cryptography_hash

from portfolio import audit, dates
from portfolio.errors import PortfolioError
from portfolio.models import Centre

from .audit_actions import ExportAction
from .models import CentreSeal

SEAL_YEARS = 12  # beyond every awarding body's retention period (DOMAIN.md: 3 years and more)
KEY_BITS = 3072


@dataclass(frozen=True)
class SealMaterial:
    """A seal as it is stored: the encrypted PKCS#12 and the public certificates."""

    pkcs12: bytes
    certificate_pem: str
    root_pem: str
    subject: str
    valid_until: datetime.datetime


class KeptKeySigner(SimpleSigner):
    """pyHanko's SimpleSigner, holding its private key ready rather than reading it for every signature.

    SimpleSigner reads its key afresh each time it signs, and pyHanko signs twice per PDF (the
    first time only to learn the signature's size). Reading a 3,072-bit RSA key checks it, which
    costs a tenth of a second: those two reads were a seventh of a sealed PDF's whole time. Here
    the key is the one the PKCS#12 was opened with, once per process (`_loaded`), and the
    size-only signature of an RSA key is not made: it is always as long as the key."""

    def __init__(self, key: PrivateKeyTypes, certificate: x509.Certificate, chain: list[x509.Certificate]):
        registry = SimpleCertificateStore()
        registry.register_multiple([_asn1_certificate(c) for c in chain])
        super().__init__(
            signing_key=asn1_keys.PrivateKeyInfo.load(key.private_bytes(
                serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption(),
            )),
            signing_cert=_asn1_certificate(certificate),
            cert_registry=registry,
        )
        self.private_key = key

    async def async_sign_raw(self, data: bytes, digest_algorithm: str, dry_run: bool = False) -> bytes:
        if dry_run and isinstance(self.private_key, rsa.RSAPrivateKey):
            return bytes(self.private_key.key_size // 8)
        return self.sign_raw(data, digest_algorithm)

    def sign_raw(self, data: bytes, digest_algorithm: str) -> bytes:
        mechanism = self.get_signature_mechanism_for_digest(digest_algorithm).signature_algo
        digest = get_pyca_cryptography_hash(digest_algorithm)
        if mechanism == "rsassa_pkcs1v15" and isinstance(self.private_key, rsa.RSAPrivateKey):
            return self.private_key.sign(data, PKCS1v15(), digest)
        if mechanism == "ecdsa" and isinstance(self.private_key, EllipticCurvePrivateKey):
            return self.private_key.sign(data, ECDSA(digest))
        return super().sign_raw(data, digest_algorithm)  # any other kind of key: pyHanko's own way


def _asn1_certificate(certificate: x509.Certificate) -> asn1_x509.Certificate:
    return asn1_x509.Certificate.load(certificate.public_bytes(serialization.Encoding.DER))


@dataclass(frozen=True)
class Seal:
    """A seal ready to sign with: who it names, the root to trust it by, and pyHanko's signer."""

    signer: SimpleSigner
    name: str
    root_pem: str


def _name(common_name: str, organisation: str) -> x509.Name:
    return x509.Name([
        x509.NameAttribute(NameOID.COMMON_NAME, common_name[:64]),
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, organisation[:64]),
    ])


def _key_usage(*, signs_certificates: bool) -> x509.KeyUsage:
    return x509.KeyUsage(
        digital_signature=not signs_certificates, content_commitment=not signs_certificates,
        key_encipherment=False, data_encipherment=False, key_agreement=False,
        key_cert_sign=signs_certificates, crl_sign=signs_certificates, encipher_only=False, decipher_only=False,
    )


def make_seal(organisation: str, passphrase: bytes, *, years: int = SEAL_YEARS) -> SealMaterial:
    """A new root and signing certificate naming `organisation`, the key in an encrypted PKCS#12."""
    now = timezone.now().astimezone(datetime.UTC)
    until = now + datetime.timedelta(days=round(365.25 * years))
    root_key = rsa.generate_private_key(public_exponent=65537, key_size=KEY_BITS)
    seal_key = rsa.generate_private_key(public_exponent=65537, key_size=KEY_BITS)
    root_name = _name(f"{organisation} root", organisation)
    root = (
        x509.CertificateBuilder().subject_name(root_name).issuer_name(root_name)
        .public_key(root_key.public_key()).serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5)).not_valid_after(until)
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(_key_usage(signs_certificates=True), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(root_key.public_key()), critical=False)
        .sign(root_key, hashes.SHA256())
    )
    subject = _name(f"{organisation} seal", organisation)
    certificate = (
        x509.CertificateBuilder().subject_name(subject).issuer_name(root_name)
        .public_key(seal_key.public_key()).serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5)).not_valid_after(until)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(_key_usage(signs_certificates=False), critical=True)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(root_key.public_key()), critical=False)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(seal_key.public_key()), critical=False)
        .sign(root_key, hashes.SHA256())
    )
    sealed = pkcs12.serialize_key_and_certificates(
        organisation.encode()[:64], seal_key, certificate, [root], serialization.BestAvailableEncryption(passphrase)
    )
    return SealMaterial(sealed, _pem(certificate), _pem(root), subject.rfc4514_string(), until)


def read_pkcs12(data: bytes, passphrase: bytes, source_passphrase: bytes | None = None,
                root_pem: str | None = None) -> SealMaterial:
    """A PKCS#12 the centre brings (opened with `source_passphrase`), re-encrypted with
    `passphrase`. Its root is the PEM given, or else the last certificate of the chain inside it
    (or the signing certificate, when it is self-signed)."""
    try:
        key, certificate, chain = pkcs12.load_key_and_certificates(data, source_passphrase)
        root = x509.load_pem_x509_certificate(root_pem.encode()) if root_pem else None
    except ValueError:
        raise PortfolioError(
            "The PKCS#12 file or the root certificate could not be read: damaged, or a wrong passphrase."
        ) from None
    if key is None or certificate is None:
        raise PortfolioError("The PKCS#12 file holds no key and certificate to seal with.")
    root = root or (chain[-1] if chain else certificate)
    sealed = pkcs12.serialize_key_and_certificates(
        b"seal", key, certificate, chain, serialization.BestAvailableEncryption(passphrase)  # type: ignore[arg-type]
    )
    return SealMaterial(sealed, _pem(certificate), _pem(root), certificate.subject.rfc4514_string(),
                        certificate.not_valid_after_utc)


def _pem(certificate: x509.Certificate) -> str:
    return certificate.public_bytes(serialization.Encoding.PEM).decode()


def centre_passphrase(centre: Centre) -> bytes:
    """The PKCS#12 passphrase of a centre's seal: derived from a setting, so the database alone
    (or a backup of it) holds nothing to sign with."""
    key = settings.PORTFOLIO_SEAL_KEY.encode()
    digest = hmac.new(key, f"centre seal {centre.code}".encode(), hashlib.sha256).digest()
    return base64.b64encode(digest)


def installation_passphrase() -> bytes:
    if settings.PORTFOLIO_SEAL_PASSPHRASE:
        return settings.PORTFOLIO_SEAL_PASSPHRASE.encode()
    key = settings.PORTFOLIO_SEAL_KEY.encode()
    return base64.b64encode(hmac.new(key, b"installation seal", hashlib.sha256).digest())


def centre_seal_save(centre: Centre, material: SealMaterial, *, uploaded: bool = False) -> CentreSeal:
    """Makes `material` the centre's seal, retiring the one before (its root still checks the PDFs
    it sealed)."""
    with transaction.atomic():
        CentreSeal.objects.filter(centre=centre, retired_at__isnull=True).update(retired_at=timezone.now())
        seal = CentreSeal(
            centre=centre, subject=material.subject, certificate_pem=material.certificate_pem,
            root_pem=material.root_pem, pkcs12=material.pkcs12, valid_until=material.valid_until, uploaded=uploaded,
        )
        seal.signature = seal_signature(seal)
        seal.save()
        audit.record(
            ExportAction.SEAL_UPLOADED if uploaded else ExportAction.SEAL_MADE,
            actor=None,
            centre=centre,
            summary=f"New seal for {centre}: {material.subject}, valid until {dates.day(material.valid_until)}"[:300],
            after={"seal": seal.pk, "valid_until": material.valid_until.isoformat()},
        )
    return seal


def seal_signature(seal: CentreSeal) -> str:
    """Binds the seal's certificates to its centre, with a key the database does not hold."""
    payload = "\n".join([
        "centre seal", str(seal.centre_id), seal.subject, seal.certificate_pem, seal.root_pem,
        seal.valid_until.astimezone(datetime.UTC).isoformat(),
    ])
    return hmac.new(settings.PORTFOLIO_SEAL_KEY.encode(), payload.encode(), hashlib.sha256).hexdigest()


def seal_is_believed(seal: CentreSeal) -> bool:
    return bool(seal.signature) and hmac.compare_digest(seal.signature, seal_signature(seal))


def believed_seals(seals: Iterable[CentreSeal]) -> list[CentreSeal]:
    """The seals made or uploaded through the product: a row written into the database by hand is
    left out, whatever root it carries."""
    return [seal for seal in seals if seal_is_believed(seal)]


def current_centre_seal(centre: Centre) -> CentreSeal | None:
    return CentreSeal.objects.filter(centre=centre, retired_at__isnull=True).first()


_signers: dict[tuple, Seal] = {}
_installation_lock = threading.Lock()


def seal_for(centre: Centre) -> Seal:
    """The seal a centre's PDFs carry: its own, or else the installation's."""
    own = current_centre_seal(centre)
    if own is not None:
        cache_key: tuple = ("centre", own.pk, own.certificate_pem)
        if cache_key not in _signers:
            _signers[cache_key] = _loaded(bytes(own.pkcs12), centre_passphrase(centre), own.root_pem, centre.name)
        return _signers[cache_key]
    return installation_seal()


def installation_seal() -> Seal:
    path = Path(settings.PORTFOLIO_SEAL_PKCS12)
    cache_key = ("installation", str(path))
    if cache_key not in _signers:
        with _installation_lock:
            if not path.exists():
                _make_installation_seal(path)
            data = path.read_bytes()
            key, certificate, chain = _opened(
                data, installation_passphrase(),
                f"The installation's seal ({path}) could not be opened: PORTFOLIO_SEAL_PASSPHRASE "
                "(or PORTFOLIO_SEAL_KEY, from which it is derived when unset) has changed.",
                f"{path} holds no certificate to seal with.",
            )
            root = chain[-1] if chain else certificate
            signer = KeptKeySigner(key, certificate, chain)
            _signers[cache_key] = Seal(signer=signer, name=settings.PORTFOLIO_SITE_URL, root_pem=_pem(root))
    return _signers[cache_key]


def _make_installation_seal(path: Path) -> None:
    """The installation's seal, made once: the file is created exclusively (another process may be
    making it too) with the app's private file mode."""
    if not path.parent.is_dir():  # the app's folder mode, not the umask's (the key is in there)
        path.parent.mkdir(parents=True, exist_ok=True)
        os.chmod(path.parent, settings.PORTFOLIO_FOLDER_MODE)
    material = make_seal(f"Evidence portfolio at {settings.PORTFOLIO_SITE_URL}", installation_passphrase())
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(material.pkcs12)


def _loaded(data: bytes, passphrase: bytes, root_pem: str, name: str) -> Seal:
    key, certificate, chain = _opened(
        data, passphrase,
        "The seal's key could not be opened: PORTFOLIO_SEAL_KEY or PORTFOLIO_SEAL_PASSPHRASE has changed.",
        "The seal holds no key and certificate to seal with.",
    )
    return Seal(signer=KeptKeySigner(key, certificate, chain), name=name, root_pem=root_pem)


def _opened(data: bytes, passphrase: bytes, unreadable: str, empty: str) -> tuple[PrivateKeyTypes, x509.Certificate, list[x509.Certificate]]:
    """The key, certificate and chain in a seal's PKCS#12, opened once (opening it checks the key:
    a tenth of a second for a 3,072-bit RSA key)."""
    try:
        key, certificate, chain = pkcs12.load_key_and_certificates(data, passphrase)
    except ValueError:
        raise PortfolioError(unreadable) from None
    if key is None or certificate is None:
        raise PortfolioError(empty)
    return key, certificate, chain
