"""axe-core (node_modules/axe-core, a dev dependency in package.json) run on the page as it is now."""

from pathlib import Path

import pytest

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"


def axe_violations(page_or_frame) -> list[dict]:
    """axe-core's violations on a page or frame: rule, impact, and the first nodes' selectors."""
    if not AXE.exists():
        pytest.fail(f"{AXE} is missing: `make test` runs npm ci, which installs axe-core")
    # Evaluated through the DevTools protocol, which the pages' CSP (script-src 'self') does not govern: the pages'
    # own scripts still run under it.
    page_or_frame.evaluate(AXE.read_text() + "\n;void 0")
    result = page_or_frame.evaluate("async () => await axe.run(document, { resultTypes: ['violations'] })")
    return [
        {
            "rule": v["id"],
            "impact": v["impact"],
            "nodes": [
                " ".join(n["target"]) if isinstance(n["target"][0], str) else n["target"] for n in v["nodes"][:5]
            ],
        }
        for v in result["violations"]
    ]
