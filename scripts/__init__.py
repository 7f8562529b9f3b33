"""Developer tools, run from the repository root as `python -m scripts.NAME`; the shell scripts run as they are."""
