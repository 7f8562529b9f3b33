"""Moderation: the queue of pending sightings, decisions, photo fixes and the append-only moderation log."""
