"""Benchmarks: run with `make bench` (a separate database, synthetic data); they print figures, never assert."""
