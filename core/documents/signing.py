"""The issuing body's PAdES signature on every issued PDF (pyHanko).

Production names a key and certificate (PEM) in settings. Without them the
demo makes its own self-signed certificate on first use and keeps it under
the private media folder (never committed); viewers then report the
signature valid and the signer untrusted, which is what a demo can honestly
claim.
"""

from __future__ import annotations

import asyncio
import datetime
import fcntl
import io
import threading
from concurrent.futures import ThreadPoolExecutor
from functools import lru_cache
from pathlib import Path
from typing import Any

from django.conf import settings

_lock = threading.Lock()
# Room for the CMS signature in the PDF: an RSA-4096 signature with its
# certificate and signed attributes stays well under this.
SIGNATURE_BYTES = 12 * 1024


def signing_paths() -> tuple[Path, Path]:
    key = settings.DOCUMENTS_SIGNING_KEY
    cert = settings.DOCUMENTS_SIGNING_CERT
    if key and cert:
        return Path(key), Path(cert)
    folder = Path(settings.PRIVATE_MEDIA_ROOT) / "signing"
    return folder / "demo-key.pem", folder / "demo-cert.pem"


def demo_certificate_create(key_path: Path, cert_path: Path, issuer: str) -> None:
    """A self-signed RSA certificate for the demo, valid ten years."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.x509.oid import NameOID

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "CN"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, issuer),
            x509.NameAttribute(NameOID.COMMON_NAME, f"{issuer} (demo)"),
        ]
    )
    now = datetime.datetime.now(datetime.UTC)
    usage = x509.KeyUsage(
        digital_signature=True,
        content_commitment=True,
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=True,
        crl_sign=False,
        encipher_only=False,
        decipher_only=False,
    )
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=3650))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), True)
        .add_extension(usage, critical=True)
        .sign(key, hashes.SHA256())
    )
    key_path.parent.mkdir(parents=True, exist_ok=True)
    key_tmp = key_path.with_suffix(".tmp")
    key_tmp.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    key_tmp.chmod(0o600)
    cert_tmp = cert_path.with_suffix(".tmp")
    cert_tmp.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    # Renamed into place, the certificate last: a reader sees both or neither.
    key_tmp.replace(key_path)
    cert_tmp.replace(cert_path)


def _signer_class() -> Any:
    from cryptography.hazmat.primitives.asymmetric.padding import PKCS1v15
    from pyhanko.sign import signers
    from pyhanko.sign.general import get_pyca_cryptography_hash

    class KeptKeySigner(signers.SimpleSigner):
        """pyHanko's SimpleSigner parses the private key again for every
        signature (about 100 ms for RSA, with its consistency checks); this
        one keeps the parsed key for the life of the process."""

        private_key: Any = None

        def sign_raw(self, data: bytes, digest_algorithm: str) -> bytes:
            mechanism = self.get_signature_mechanism_for_digest(digest_algorithm)
            if (
                self.private_key is None
                or mechanism.signature_algo != "rsassa_pkcs1v15"
            ):
                return super().sign_raw(data, digest_algorithm)
            hash_algo = get_pyca_cryptography_hash(digest_algorithm)
            return self.private_key.sign(data, PKCS1v15(), hash_algo)

    return KeptKeySigner


@lru_cache(maxsize=4)
def _signer(key_path: str, cert_path: str) -> Any:
    from asn1crypto import keys, pem, x509
    from cryptography.hazmat.primitives import serialization
    from pyhanko_certvalidator.registry import SimpleCertificateStore

    passphrase = settings.DOCUMENTS_SIGNING_KEY_PASSPHRASE or None
    private_key = serialization.load_pem_private_key(
        Path(key_path).read_bytes(),
        password=passphrase.encode() if passphrase else None,
    )
    der = private_key.private_bytes(
        serialization.Encoding.DER,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    _type, _headers, cert_der = pem.unarmor(Path(cert_path).read_bytes())
    signer = _signer_class()(
        signing_cert=x509.Certificate.load(cert_der),
        signing_key=keys.PrivateKeyInfo.load(der),
        cert_registry=SimpleCertificateStore(),
    )
    signer.private_key = private_key
    return signer


def signer_get() -> Any:
    """The process's signer, made once (and the demo certificate with it)."""
    key_path, cert_path = signing_paths()
    with _lock:
        if not (key_path.exists() and cert_path.exists()):
            if settings.DOCUMENTS_SIGNING_KEY:
                raise FileNotFoundError(
                    f"signing key or certificate missing: {key_path}"
                )
            key_path.parent.mkdir(parents=True, exist_ok=True)
            # Several worker processes may start at once: one makes the pair.
            with open(key_path.parent / ".lock", "w") as lock:
                fcntl.flock(lock, fcntl.LOCK_EX)
                if not (key_path.exists() and cert_path.exists()):
                    demo_certificate_create(
                        key_path, cert_path, settings.DOCUMENTS_ISSUER
                    )
    return _signer(str(key_path), str(cert_path))


def signing_certificate_pem() -> bytes:
    signer_get()
    return signing_paths()[1].read_bytes()


def _outside_event_loop(function: Any, *args: Any, **kwargs: Any) -> Any:
    """pyHanko runs its own asyncio loop; called where a loop already runs (an
    ASGI server, a Playwright test), it runs in a helper thread instead."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return function(*args, **kwargs)
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(function, *args, **kwargs).result()


def pdf_sign(pdf: bytes, *, reason: str, location: str) -> bytes:
    """Sign ``pdf`` as PAdES-B-B in an incremental update (PDF/A stays intact)."""
    return _outside_event_loop(_pdf_sign, pdf, reason=reason, location=location)


def _pdf_sign(pdf: bytes, *, reason: str, location: str) -> bytes:
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers

    writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
    metadata = signers.PdfSignatureMetadata(
        field_name="Signature",
        subfilter=fields.SigSeedSubFilter.PADES,
        md_algorithm="sha256",
        reason=reason,
        location=location,
        name=settings.DOCUMENTS_ISSUER,
    )
    # A fixed reservation spares pyHanko a trial signature to size it.
    output = signers.sign_pdf(
        writer, metadata, signer=signer_get(), bytes_reserved=SIGNATURE_BYTES
    )
    return output.getvalue()


def pdf_signature_check(pdf: bytes) -> bool:
    """True when the PDF's signatures are intact and made by this system's key."""
    return _outside_event_loop(_pdf_signature_check, pdf)


def _pdf_signature_check(pdf: bytes) -> bool:
    from asn1crypto import pem, x509
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    _type, _headers, der = pem.unarmor(signing_certificate_pem())
    context = ValidationContext(trust_roots=[x509.Certificate.load(der)])
    reader = PdfFileReader(io.BytesIO(pdf))
    signatures = reader.embedded_signatures
    if not signatures:
        return False
    for signature in signatures:
        status = validate_pdf_signature(signature, context)
        if not (status.intact and status.valid and status.trusted):
            return False
    return True
