"""The instance's keys in a backup, sealed with a passphrase: Argon2id (libsodium's pwhash) derives the key,
XSalsa20-Poly1305 (SecretBox) seals them, so a copy kept off the machine is useless without the passphrase."""

import base64
import json

import nacl.pwhash
import nacl.secret
import nacl.utils
from nacl.exceptions import CryptoError

SALT_BYTES = nacl.pwhash.argon2id.SALTBYTES
# Moderate: about a second and 256 MiB on a server, once per backup or restore.
OPS, MEM = nacl.pwhash.argon2id.OPSLIMIT_MODERATE, nacl.pwhash.argon2id.MEMLIMIT_MODERATE


class WrongPassphrase(Exception):
    """The sealed keys do not open with this passphrase (or were changed)."""


def _box(passphrase: str, salt: bytes) -> nacl.secret.SecretBox:
    size = nacl.secret.SecretBox.KEY_SIZE
    key = nacl.pwhash.argon2id.kdf(size, passphrase.encode(), salt, opslimit=OPS, memlimit=MEM)
    return nacl.secret.SecretBox(key)


def seal(files: dict[str, bytes], passphrase: str) -> bytes:
    """Name -> bytes, sealed: salt, then the SecretBox message (nonce, ciphertext, tag)."""
    salt = nacl.utils.random(SALT_BYTES)
    plain = json.dumps({name: base64.b64encode(data).decode() for name, data in files.items()}).encode()
    return salt + _box(passphrase, salt).encrypt(plain)


def unseal(sealed: bytes, passphrase: str) -> dict[str, bytes]:
    salt, message = sealed[:SALT_BYTES], sealed[SALT_BYTES:]
    try:
        plain = _box(passphrase, salt).decrypt(message)
    except CryptoError as error:
        raise WrongPassphrase("the keys do not open with this passphrase") from error
    return {name: base64.b64decode(data) for name, data in json.loads(plain).items()}
