"""The plugin's imports run one way: no module loops, and no app imports an app above it.

The layers, from the bottom: the plugin's settings and its messaging module, the form builder,
notices, accounts, applications, review, printing, exchange (import and export), rounds, and the
review desk at the top. The demo site
(``home``, ``site_config``) may import anything; the plugin imports nothing of it.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent.parent
PACKAGES = ["notices", "forms_app", "home", "site_config"]
LAYERS = [
    "forms_app.conf",  # the plugin's settings and their defaults, read by every app
    "forms_app.messaging",  # the one module that sends e-mails
    "forms_app.converters",  # the <id:…> path converter
    "forms_app.ratelimit",  # requests per address on public pages
    "forms_app.qr",  # QR codes as module runs, for printouts and the two-factor enrol page
    "forms_app.background",  # tracked background work: claim, progress, retry
    "forms_app.builder",
    "notices",
    "forms_app.accounts",
    "forms_app.applications",
    "forms_app.review",
    "forms_app.printing",
    "forms_app.exchange",
    "forms_app.rounds",
    "forms_app.desk",
    "forms_app",  # the package itself: only the URL aggregator sits here
    "home",
    "site_config",
]


def module_name(path):
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def project_modules():
    modules = {}
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            modules[module_name(path)] = path
    return modules


def imports_of(name, path, modules):
    """Yield ``(target module, inside a function)`` for each import of a project module."""
    tree = ast.parse(path.read_text(), filename=str(path))
    is_package = path.name == "__init__.py"
    functions = {
        id(node)
        for fn in ast.walk(tree)
        if isinstance(fn, ast.FunctionDef | ast.AsyncFunctionDef)
        for node in ast.walk(fn)
    }
    for node in ast.walk(tree):
        targets = []
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = name.split(".")
                keep = len(parts) - node.level + (1 if is_package else 0)
                base = ".".join(parts[:keep] + ([base] if base else []))
            targets = [f"{base}.{alias.name}" for alias in node.names] + [base]
        for target in targets:
            while target and target not in modules:
                target = target.rpartition(".")[0]
            if target and target != name:
                yield target, id(node) in functions
                break


def layer_of(module):
    return max(
        (i for i, layer in enumerate(LAYERS) if module == layer or module.startswith(layer + ".")),
        key=lambda i: len(LAYERS[i]),
    )


@pytest.fixture(scope="module")
def graph():
    modules = project_modules()
    return {name: list(imports_of(name, path, modules)) for name, path in modules.items()}


def test_no_module_imports_itself_round_a_loop(graph):
    # Tarjan's strongly connected components: any component of two or more modules is a loop.
    index, low, stack, on_stack, loops = {}, {}, [], set(), []

    def visit(node):
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target, _inside in graph.get(node, []):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = set()
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.add(member)
                if member == node:
                    break
            if len(component) > 1:
                loops.append(sorted(component))

    for node in graph:
        if node not in index:
            visit(node)
    assert loops == []


def test_no_plugin_import_is_hidden_in_a_function(graph):
    hidden = [
        (name, target)
        for name, targets in graph.items()
        if not name.startswith(("home", "site_config"))
        for target, inside in targets
        if inside
    ]
    assert hidden == []


def test_imports_run_down_the_layers(graph):
    upward = [
        (name, target)
        for name, targets in graph.items()
        for target, _inside in targets
        if layer_of(target) > layer_of(name)
    ]
    assert upward == []


def test_the_loop_check_finds_a_loop():
    """The check itself: a made-up pair of modules importing each other is reported."""
    fake = {"a": [("b", False)], "b": [("a", False)]}
    with pytest.raises(AssertionError):
        test_no_module_imports_itself_round_a_loop(fake)
