"""Reading a multipart body with photos in it: every photo a phone makes fits, and no photo can sink the form.

Werkzeug 3.1's multipart parser applies MAX_FORM_MEMORY_SIZE to its parse buffer, file data included, so with a
small limit ordinary phone photos were refused with 413 and the whole form was lost. Here the limits are applied
per part instead, on top of Werkzeug's own sans-IO decoder:

- a file part keeps at most PHOTO_MAX_BYTES in memory; bytes past that are dropped and the part is marked
  `overflowed`, so the text fields after it are still read and the form can say which photo to choose again;
- a text part keeps at most FORM_FIELD_MAX_BYTES; a longer one is marked in `request.overlong_fields` and its
  validator refuses it in the reader's language;
- uploads are held in memory only: the raw bytes carry the reporter's GPS position and phone serial, and a
  temporary file would put them on disk;
- at most PHOTO_INTAKE_SLOTS large bodies are read at once per process (waiting ones stay in the socket, not in
  memory); a request that waits longer than PHOTO_INTAKE_WAIT_SECONDS gets 503 with Retry-After.

Only a body larger than MAX_CONTENT_LENGTH is refused whole (413), before anything of it is read.
"""

import io
import threading
import typing as t

from flask import Flask, Request, current_app, g
from werkzeug.datastructures import FileStorage
from werkzeug.exceptions import ServiceUnavailable
from werkzeug.formparser import FormDataParser
from werkzeug.http import parse_options_header
from werkzeug.sansio.multipart import Data, Epilogue, Field, File, MultipartDecoder, NeedData

CHUNK = 64 * 1024
# Bodies at least this large (or of unknown length) take an intake slot; small forms never wait.
SLOT_THRESHOLD = 256 * 1024


class CappedUpload(io.BytesIO):
    """An uploaded file in memory that keeps at most `limit` bytes; `overflowed` says more were sent."""

    def __init__(self, limit: int) -> None:
        super().__init__()
        self.limit = limit
        self.received = 0
        self.overflowed = False

    def write(self, data: bytes) -> int:  # type: ignore[override]
        self.received += len(data)
        if not self.overflowed:
            if self.received > self.limit:
                # Nothing of an over-size photo is kept: free its memory now, not at the end of the request.
                self.overflowed = True
                self.seek(0)
                self.truncate()
            else:
                super().write(data)
        return len(data)


class IntakeFormDataParser(FormDataParser):
    """Werkzeug's form parser with per-part limits for multipart bodies (see the module docstring)."""

    def __init__(self, *args, request: "IntakeRequest", **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.request = request

    def _parse_multipart(self, stream, mimetype, content_length, options):
        boundary = options.get("boundary", "").encode("ascii")
        if not boundary:
            raise ValueError("Missing boundary")
        if content_length is None or content_length >= SLOT_THRESHOLD:
            _take_intake_slot()
        decoder = MultipartDecoder(boundary, max_parts=self.max_form_parts)
        parts = _Parts(current_app.config["PHOTO_MAX_BYTES"], current_app.config["FORM_FIELD_MAX_BYTES"])
        while True:
            data = stream.read(CHUNK)
            decoder.receive_data(data or None)
            event = decoder.next_event()
            while not isinstance(event, (Epilogue, NeedData)):
                parts.handle(event)
                event = decoder.next_event()
            if not data:
                break
        self.request.overlong_fields.update(parts.overlong)
        return stream, self.cls(parts.fields), self.cls(parts.files)


class _Parts:
    """Collects the decoder's events into fields and files, each within its own limit."""

    def __init__(self, file_limit: int, field_limit: int) -> None:
        self.file_limit, self.field_limit = file_limit, field_limit
        self.fields: list[tuple[str, str]] = []
        self.files: list[tuple[str, FileStorage]] = []
        self.overlong: set[str] = set()
        self.part: Field | File | None = None
        self.upload: CappedUpload | None = None
        self.chunks: list[bytes] = []
        self.size = 0

    def handle(self, event) -> None:
        if isinstance(event, File):
            self.part, self.upload = event, CappedUpload(self.file_limit)
        elif isinstance(event, Field):
            self.part, self.upload, self.chunks, self.size = event, None, [], 0
        elif isinstance(event, Data):
            if self.upload is not None:
                self.upload.write(event.data)
            else:
                self.size += len(event.data)
                if self.size <= self.field_limit:
                    self.chunks.append(event.data)
                else:
                    self.overlong.add(self.part.name)
            if not event.more_data:
                self._finish()

    def _finish(self) -> None:
        part = self.part
        if self.upload is not None:
            self.upload.seek(0)
            self.files.append((part.name, FileStorage(self.upload, part.filename, part.name, headers=part.headers)))
        else:
            self.fields.append((part.name, b"".join(self.chunks).decode(_charset(part), "replace")))


def _charset(part: Field) -> str:
    charset = parse_options_header(part.headers.get("content-type", ""))[1].get("charset", "").lower()
    return charset if charset in {"ascii", "us-ascii", "utf-8", "iso-8859-1"} else "utf-8"


class IntakeRequest(Request):
    """The app's request class: multipart bodies are parsed by IntakeFormDataParser."""

    @property
    def overlong_fields(self) -> set[str]:
        """Names of text fields that were longer than FORM_FIELD_MAX_BYTES (their value is cut there)."""
        return self.__dict__.setdefault("_overlong_fields", set())

    def make_form_data_parser(self) -> FormDataParser:
        return IntakeFormDataParser(
            self._get_file_stream,
            # Werkzeug's buffer-wide limit is what refused every phone photo; per-part limits replace it.
            max_form_memory_size=None,
            max_content_length=self.max_content_length,
            max_form_parts=self.max_form_parts,
            cls=self.parameter_storage_class,
            request=self,
        )


def file_overflowed(upload: FileStorage) -> bool:
    """Whether an uploaded file was larger than PHOTO_MAX_BYTES (its bytes were dropped while reading)."""
    return bool(getattr(upload.stream, "overflowed", False))


# Intake slots: one semaphore per process, sized on first use from the config.
_slots_lock = threading.Lock()
_slots: dict[str, t.Any] = {"semaphore": None}


def _semaphore() -> threading.BoundedSemaphore:
    with _slots_lock:
        if _slots["semaphore"] is None:
            _slots["semaphore"] = threading.BoundedSemaphore(current_app.config["PHOTO_INTAKE_SLOTS"])
        return _slots["semaphore"]


def _take_intake_slot() -> None:
    if g.get("_intake_slot"):
        return
    semaphore = _semaphore()
    if not semaphore.acquire(timeout=current_app.config["PHOTO_INTAKE_WAIT_SECONDS"]):
        raise Busy()
    g._intake_slot = semaphore


def _release_intake_slot(_error: BaseException | None = None) -> None:
    semaphore = g.pop("_intake_slot", None)
    if semaphore is not None:
        semaphore.release()


class Busy(ServiceUnavailable):
    """Too many large uploads at once in this process: the client sends again later (the outbox retries)."""

    retry_after = 30

    def get_headers(self, environ=None, scope=None):
        return [*super().get_headers(environ, scope), ("Retry-After", str(self.retry_after))]


def init_app(app: Flask) -> None:
    app.request_class = IntakeRequest
    # The slot is held until the request ends: the photos stay in memory while they are decoded.
    app.teardown_request(_release_intake_slot)
