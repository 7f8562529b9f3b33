"""Mapbox Vector Tiles of the verified cameras, built by PostGIS (ST_AsMVT)."""
