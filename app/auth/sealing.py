"""TOTP secrets sealed at rest under a key that never enters the database.

The cipher is XChaCha20-Poly1305 (PyNaCl's `Aead`, libsodium): authenticated, with a random 24-byte nonce per seal.
A sealed secret is one byte of key id, the nonce, and the ciphertext with its 16-byte tag. The key id and the
account's id are authenticated with it, so a sealed value copied onto another account, or relabelled with another
key id, does not open.

The key ring is a small text file (TOTP_KEY_FILE, default instance/totp.key, mode 600), one key a line:
`<id> <base64 of 32 random bytes>`. The first line seals, every line opens. It has two lines only during a rotation
(services.rotate_totp_key), until every secret is sealed under the new key. The file is read at every use, so a
rotation needs no restart, and it is only ever replaced whole (written beside it, then renamed).
"""

import base64
import binascii
import contextlib
import os
from dataclasses import dataclass
from pathlib import Path

from flask import current_app
from nacl.exceptions import CryptoError
from nacl.secret import Aead
from nacl.utils import random

KEY_BYTES = Aead.KEY_SIZE
# Key ids are one byte and go round; only the ids in the ring at one time must differ.
KEY_IDS = range(1, 256)


class SealingError(Exception):
    """The key ring is missing or unreadable, or a sealed secret does not open with it (a message for operators)."""


@dataclass(frozen=True)
class KeyRing:
    current: int
    keys: dict[int, bytes]

    def next_id(self) -> int:
        """The id a new key gets: the one after the current id, skipping any still in the ring."""
        candidates = [*range(self.current + 1, KEY_IDS.stop), *KEY_IDS]
        return next(key_id for key_id in candidates if key_id not in self.keys)

    def with_new_key(self) -> "KeyRing":
        """This ring with a fresh random key in front: it seals from now on, the old keys still open."""
        key_id = self.next_id()
        return KeyRing(key_id, {key_id: random(KEY_BYTES), **self.keys})

    def only_current(self) -> "KeyRing":
        return KeyRing(self.current, {self.current: self.keys[self.current]})


def key_file() -> Path:
    return Path(current_app.config["TOTP_KEY_FILE"])


def _aad(key_id: int, user_id: int) -> bytes:
    return b"hiljade totp %d %d" % (key_id, user_id)


def seal(secret: str, user_id: int, ring: KeyRing) -> bytes:
    """The secret of account `user_id` sealed under the ring's current key."""
    box = Aead(ring.keys[ring.current])
    return bytes([ring.current]) + box.encrypt(secret.encode("ascii"), _aad(ring.current, user_id))


def open_sealed(sealed: bytes, user_id: int, ring: KeyRing) -> str:
    """The plain secret of account `user_id`; SealingError when its key is not in the ring or it does not open."""
    key_id, body = sealed[0], bytes(sealed[1:])
    if key_id not in ring.keys:
        raise SealingError(f"the TOTP secret of account {user_id} is sealed under key {key_id}, not in {key_file()}")
    try:
        return Aead(ring.keys[key_id]).decrypt(body, _aad(key_id, user_id)).decode("ascii")
    except CryptoError as error:
        raise SealingError(
            f"the TOTP secret of account {user_id} does not open with key {key_id} of {key_file()}: "
            "the key is not the one it was sealed with (restored from another backup?) or the value was altered"
        ) from error


def read_ring() -> KeyRing:
    """The key ring in TOTP_KEY_FILE; SealingError (saying what to do) when it is missing or malformed."""
    path = key_file()
    try:
        text = path.read_text()
    except FileNotFoundError as error:
        raise SealingError(
            f"the TOTP key file {path} is missing: restore it from the backup (see README, Backups); "
            "without it no moderator can sign in"
        ) from error
    except OSError as error:
        raise SealingError(f"the TOTP key file {path} cannot be read: {error.strerror}") from error
    keys: dict[int, bytes] = {}
    try:
        for line in filter(None, map(str.strip, text.splitlines())):
            raw_id, raw_key = line.split()
            key = base64.b64decode(raw_key, validate=True)
            if int(raw_id) not in KEY_IDS or len(key) != KEY_BYTES or int(raw_id) in keys:
                raise ValueError
            keys[int(raw_id)] = key
    except (ValueError, binascii.Error) as error:
        raise SealingError(f"the TOTP key file {path} is malformed (each line: key id, base64 of 32 bytes)") from error
    if not keys:
        raise SealingError(f"the TOTP key file {path} holds no key")
    return KeyRing(next(iter(keys)), keys)


def ring_for_sealing() -> KeyRing:
    """The key ring, made with one random key on first use (as instance/secret_key is)."""
    if not key_file().exists():
        with contextlib.suppress(FileExistsError):  # another process made it first: use theirs
            write_ring(KeyRing(1, {1: random(KEY_BYTES)}), exclusive=True)
    return read_ring()


def write_ring(ring: KeyRing, exclusive: bool = False) -> None:
    """Replace the key file whole (mode 600): written beside it, flushed to disk, then renamed over it."""
    path = key_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    text = "".join(f"{key_id} {base64.b64encode(key).decode()}\n" for key_id, key in ring.keys.items())
    partial = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        with os.fdopen(fd, "w") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        if exclusive:
            os.link(partial, path)  # FileExistsError if another process made the file meanwhile
        else:
            os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)
    directory = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(directory)
    finally:
        os.close(directory)
