"""The moderation log anchored in the snapshots: each lists the ids and hashes of the events since the previous one.

Only ids and chain hashes are published, never an event's contents (they name moderators and their reasons). A
mirror cannot recompute a hash without the contents, but it can check that each snapshot's chain continues the
previous one's head. An owner who rewrites a published event must recompute every later hash for the database's own
check (`events.verify_chain`) to pass, so the next snapshot starts from a head no mirror has seen; an owner who does
not recompute them leaves a chain that `verify_chain` rejects. Next to the database, `database_problems` also names
the events whose stored hash is no longer the published one.
"""

import json
import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from datetime import UTC, date
from pathlib import Path
from typing import Any

from app.moderation import events

LOG_FILE = "moderation_log.json"
HASH = re.compile(r"^[0-9a-f]{64}$")


class MalformedLog(ValueError):
    """A snapshot's moderation_log.json is not what `section` writes."""


def section(previous: dict[str, Any] | None) -> dict[str, Any]:
    """The log as it stands now, continuing `previous` (the previous snapshot's section, None for the first).

    `previous_head` is read from the database, not copied from the previous snapshot: if the events that snapshot
    covers were rewritten since, the database's hash differs and the new snapshot visibly fails to continue it.
    """
    after_id = previous["last_id"] if previous else None
    links = events.chain_links(after_id)
    previous_head = events.head_hash(up_to=after_id) if after_id is not None else events.GENESIS
    return {
        "first_id": links[0][0] if links else None,
        "last_id": links[-1][0] if links else after_id,
        "previous_head": previous_head,
        "head": links[-1][1] if links else previous_head,
        "events": [list(link) for link in links],
    }


def write_section(directory: Path, previous: dict[str, Any] | None) -> None:
    """Write the section into a snapshot being made, one event a line so that a reader can compare two by eye."""
    data = section(previous)
    lines = [f"{json.dumps(key)}: {json.dumps(value)}," for key, value in data.items() if key != "events"]
    lines.append('"events": [' + ",\n ".join(json.dumps(link) for link in data["events"]) + "]")
    (directory / LOG_FILE).write_text("{\n" + "\n".join(lines) + "\n}\n", encoding="utf-8")


def read_section(directory: Path) -> dict[str, Any] | None:
    """A snapshot's section, None if the snapshot predates the anchoring; MalformedLog if it is inconsistent."""
    path = directory / LOG_FILE
    if not path.is_file():
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        links = [(int(event_id), str(digest)) for event_id, digest in data["events"]]
        first_id, last_id, head, previous_head = data["first_id"], data["last_id"], data["head"], data["previous_head"]
    except (OSError, UnicodeDecodeError, ValueError, TypeError, KeyError) as error:
        raise MalformedLog(f"{LOG_FILE}: unreadable ({error})") from error
    ids = [event_id for event_id, _ in links]
    if not all(isinstance(h, str) and HASH.match(h) for h in (head, previous_head, *(d for _, d in links))):
        raise MalformedLog(f"{LOG_FILE}: a hash is not 64 hexadecimal digits")
    if ids != sorted(set(ids)):
        raise MalformedLog(f"{LOG_FILE}: event ids are not strictly increasing")
    expected = (ids[0], ids[-1], links[-1][1]) if links else (None, last_id, previous_head)
    if (first_id, last_id, head) != expected:
        raise MalformedLog(f"{LOG_FILE}: first_id, last_id or head do not match the listed events")
    return {**data, "events": links}


def continuity_problems(directories: list[Path]) -> list[str]:
    """Breaks between consecutive snapshots (oldest first): each must start from the head the previous one ended at."""
    problems: list[str] = []
    previous_name, previous = None, None
    for directory in directories:
        try:
            current = read_section(directory)
        except MalformedLog as error:
            problems.append(f"{directory.name}: {error}")
            continue
        if current is None:
            if previous is not None:
                problems.append(f"{directory.name}: no {LOG_FILE}, although {previous_name} anchored the log")
            continue
        if previous is not None:
            problems.extend(_breaks(previous_name, previous, directory.name, current))
        previous_name, previous = directory.name, current
    return problems


def _breaks(earlier: str, before: dict[str, Any], later: str, after: dict[str, Any]) -> list[str]:
    if after["previous_head"] != before["head"]:
        return [
            f"{later}: the moderation log does not continue {earlier}: {earlier} ended at event {before['last_id']} "
            f"with head {before['head']}, {later} starts from {after['previous_head']}. An event up to "
            f"{before['last_id']} was changed or removed after {earlier} was published"
        ]
    if after["first_id"] is not None and before["last_id"] is not None and after["first_id"] <= before["last_id"]:
        return [f"{later}: lists event {after['first_id']}, already covered by {earlier}"]
    if after["first_id"] is None and after["last_id"] != before["last_id"]:
        return [f"{later}: lists no new event but ends at event {after['last_id']}, not {before['last_id']}"]
    return []


def database_problems(directories: list[Path]) -> list[str]:
    """Where this database's log no longer matches what the snapshots published (run next to the database)."""
    stored = dict(events.chain_links())
    stored_ids = list(stored)  # in id order
    problems = []
    broken_at = events.verify_chain()
    if broken_at is not None:
        problems.append(f"database: event {broken_at}'s hash does not match its contents and its predecessor")
    for directory in directories:
        try:
            published = read_section(directory)
        except MalformedLog:
            continue  # continuity_problems reports it
        if published is None or not published["events"]:
            continue
        listed = dict(published["events"])
        changed = [event_id for event_id, digest in listed.items() if stored.get(event_id) != digest]
        in_range = stored_ids[
            bisect_left(stored_ids, published["first_id"]) : bisect_right(stored_ids, published["last_id"])
        ]
        added = [event_id for event_id in in_range if event_id not in listed]
        if changed:
            first = changed[0]
            state = "is no longer in the database" if first not in stored else "has another hash in the database"
            more = f"; so do {len(changed) - 1} later events" if len(changed) > 1 else ""
            problems.append(f"{directory.name}: event {first} {state} (published: {listed[first]}){more}")
        if added:
            problems.append(f"{directory.name}: events {added[:10]} are in the database but not in the snapshot")
    return problems


@dataclass
class Head:
    event_id: int | None
    hash: str
    day: date | None = None
    snapshot: str | None = None


def current_head() -> Head | None:
    """The newest event's id, hash and day, or None while the log is empty."""
    latest = events.latest_event()
    if latest is None:
        return None
    return Head(latest.id, latest.content_hash, latest.occurred_at.astimezone(UTC).date())


def published_head(directories: list[Path]) -> Head | None:
    """The head in the newest snapshot that anchors the log, or None."""
    for directory in reversed(directories):
        try:
            published = read_section(directory)
        except MalformedLog:
            continue
        if published is not None:
            return Head(published["last_id"], published["head"], snapshot=directory.name)
    return None
