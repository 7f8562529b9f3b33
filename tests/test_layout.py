"""The package boundaries the README's layout promises, checked on the source: a newcomer can trust them."""

import ast
from pathlib import Path

APP = Path(__file__).resolve().parent.parent / "app"


def _module(path: Path) -> str:
    parts = path.relative_to(APP.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports() -> dict[str, set[str]]:
    """Each app module's imports of other app modules at import time (not inside functions)."""
    modules = {_module(path): path for path in APP.rglob("*.py")}
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        found = set()
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("app"):
                for alias in node.names:
                    candidate = f"{node.module}.{alias.name}"
                    found.add(candidate if candidate in modules else node.module)
            elif isinstance(node, ast.Import):
                found.update(alias.name for alias in node.names if alias.name.startswith("app"))
        graph[name] = {target for target in found if target in modules and target != name}
    return graph


def _feature(module: str) -> str:
    return module.split(".")[1] if module.count(".") >= 1 else ""


def test_no_feature_imports_another_features_routes():
    offenders = [
        (module, target)
        for module, targets in _imports().items()
        for target in targets
        if "routes" in target.rsplit(".", 1)[-1]
        and _feature(target) != _feature(module)
        and module != "app"  # the factory registers every blueprint
    ]
    assert offenders == []


def test_no_feature_imports_the_api_package():
    offenders = [
        (module, target)
        for module, targets in _imports().items()
        for target in targets
        if _feature(target) == "api" and _feature(module) not in ("api", "")
    ]
    assert offenders == []


def test_app_modules_import_each_other_without_cycles():
    """A package's __init__ importing its own route modules (the blueprint's registration) is not a cycle."""
    graph = _imports()

    def edges(module: str) -> set[str]:
        return {t for t in graph[module] if not (module.endswith(_feature(t)) and t.startswith(module + "."))}

    cycles, state = [], {}

    def visit(module: str, path: list[str]) -> None:
        state[module] = "open"
        for target in sorted(edges(module)):
            if state.get(target) == "open":
                cycles.append([*path[path.index(target) :], target])
            elif target not in state:
                visit(target, [*path, target])
        state[module] = "done"

    for module in sorted(graph):
        if module not in state:
            visit(module, [module])
    assert cycles == []
