"""Open data: exports, OpenStreetMap export and import, signed snapshots.

Verified cameras only, never submitter data.
"""
