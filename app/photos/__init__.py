"""Photos of sightings: re-encoding (no metadata survives), storage behind a small interface, serving."""
