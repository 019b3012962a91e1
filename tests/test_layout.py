"""The rules of the layout (STYLE.md, README "Architecture"), read from the source with ``ast``.

Data flows one way: text -> nlp -> stages -> pipeline -> store -> story -> faces
(cli, web, component). Each part may import only the parts listed for it in
``ALLOWED``; every import counts, including those under ``if TYPE_CHECKING:``
and inside functions. No module takes a private (``_name``) name from another
module, the module graph has no cycle, only the faces import inside functions
(to start quickly), and no stage function runs past a screen. None of this
needs the model.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src"
PACKAGE = SRC / "storyline"

#: The modules that import nothing of ours: every other part may import them.
CORE = ("storyline.model", "storyline.errors", "storyline.spans", "storyline.timevalues")
STAGES = ("stages.entities", "stages.attribution", "stages.time", "stages.events")

#: part -> the parts it may import, besides itself and the core.
ALLOWED: dict[str, frozenset[str]] = {
    "core": frozenset(),
    "api": frozenset({"pipeline", "text"}),  # storyline/__init__.py: re-exports only
    "text": frozenset(),
    "nlp": frozenset({"text"}),
    "stages": frozenset(),  # stages/__init__.py: the package's docstring only
    "stages.shared": frozenset({"nlp"}),
    **{stage: frozenset({"nlp", "stages.shared"}) for stage in STAGES},
    "pipeline": frozenset({"text", "nlp", "stages.shared", *STAGES}),
    "component": frozenset({"pipeline", "text", "nlp"}),
    "run": frozenset({"pipeline", "text", "nlp"}),
    "store": frozenset(),
    "story": frozenset({"store"}),
    "evaluate": frozenset({"pipeline", "text", "nlp", "stages.shared", *STAGES}),
    "train": frozenset({"evaluate", "pipeline", "nlp", "stages.shared", *STAGES}),
    "web": frozenset({"story", "store"}),
}
#: The faces that call everything: the command line may import any part.
ALLOWED["cli"] = frozenset(ALLOWED) - {"cli"}


@dataclass(frozen=True)
class Import:
    """One ``import`` or ``from ... import`` of a storyline module, as written at ``line``."""

    module: str  # the importing module
    target: str  # the storyline module imported from (or imported)
    names: tuple[str, ...]
    line: int


def module_name(path: Path) -> str:
    parts = list(path.relative_to(SRC).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def modules() -> dict[str, Path]:
    return {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def part_of(module: str) -> str:
    """The part of the layout a module belongs to: ``core``, ``stages.time``, ``store``, ..."""
    if module in CORE:
        return "core"
    if module == "storyline":
        return "api"
    parts = module.split(".")[1:]
    if parts[0] == "stages" and len(parts) > 1:
        return f"stages.{parts[1]}"
    return parts[0]


def imports_of(module: str, path: Path) -> Iterator[Import]:
    is_package = path.name == "__init__.py"
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                here = module.split(".") if is_package else module.split(".")[:-1]
                here = here[: len(here) - node.level + 1]
                base = ".".join([*here, base] if base else here)
            if base == "storyline" or base.startswith("storyline."):
                for alias in node.names:  # "from storyline.stages.time import words": a module import
                    sub = f"{base}.{alias.name}"
                    target = sub if sub in MODULES else base
                    yield Import(module, target, (alias.name,) if target == base else (), node.lineno)
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name == "storyline" or alias.name.startswith("storyline."):
                    yield Import(module, alias.name, (), node.lineno)


MODULES = modules()
IMPORTS = [imp for name, path in MODULES.items() for imp in imports_of(name, path)]


def test_the_layout_is_read() -> None:
    assert {"storyline.pipeline", "storyline.stages.time.timexes", "storyline.store.db"} <= set(MODULES)
    assert len(IMPORTS) > 100


def test_every_module_belongs_to_a_part() -> None:
    unknown = sorted({f"{m} ({part_of(m)})" for m in MODULES if part_of(m) not in ALLOWED})
    assert not unknown, f"modules outside the layout's parts (add the part to ALLOWED): {unknown}"


def test_imports_follow_the_data_flow() -> None:
    wrong = []
    for imp in IMPORTS:
        mine, theirs = part_of(imp.module), part_of(imp.target)
        if theirs == mine or theirs == "core" and mine != "core":
            continue
        if theirs not in ALLOWED[mine]:
            wrong.append(f"{imp.module}:{imp.line} imports {imp.target} ({mine} may not import {theirs})")
    assert not wrong, "imports against the layout's direction:\n" + "\n".join(wrong)


def test_no_private_names_from_another_module() -> None:
    wrong = [
        f"{imp.module}:{imp.line} takes {name} from {imp.target}"
        for imp in IMPORTS
        for name in imp.names
        if name.startswith("_") and not name.startswith("__") and imp.target != imp.module
    ]
    assert not wrong, "private names used outside their module (make them public, with a docstring):\n" + "\n".join(wrong)


def _cycle() -> list[str] | None:
    graph: dict[str, set[str]] = {m: set() for m in MODULES}
    for imp in IMPORTS:
        if imp.target in MODULES and imp.target != imp.module:
            graph[imp.module].add(imp.target)
    # importing a module runs its packages' __init__ first: a package's __init__ is not a dependency
    # of its own submodules' imports of siblings, so only explicit edges count here
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                return [*stack[stack.index(nxt):], nxt]
            if nxt not in state and (found := visit(nxt)):
                return found
        stack.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state and (found := visit(node)):
            return found
    return None


def test_no_import_cycle() -> None:
    cycle = _cycle()
    assert cycle is None, "import cycle: " + " -> ".join(cycle or [])


#: Where an import may wait inside a function: the command line (a command loads only what it runs) and
#: the package's ``__getattr__`` (``storyline.extract`` loads the pipeline on first use).
DEFERRED_IMPORTS_ALLOWED = ("storyline", "storyline.cli")
#: The longest a stage function may be, in lines (signature and docstring included).
STAGE_FUNCTION_LINES = 60


def _functions(tree: ast.AST) -> Iterator[ast.FunctionDef | ast.AsyncFunctionDef]:
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            yield node


def test_imports_wait_inside_functions_only_in_the_faces() -> None:
    wrong = []
    for name, path in MODULES.items():
        if name == "storyline" or name.startswith(DEFERRED_IMPORTS_ALLOWED[1]):
            continue
        for fn in _functions(ast.parse(path.read_text(encoding="utf-8"))):
            for node in ast.walk(fn):
                if isinstance(node, (ast.Import, ast.ImportFrom)) and any(
                    imp.line == node.lineno for imp in IMPORTS if imp.module == name
                ):
                    wrong.append(f"{name}:{node.lineno} imports inside {fn.name}()")
    assert not wrong, "imports inside functions (move them to the top; a cycle is fixed, not dodged):\n" + "\n".join(wrong)


def test_stage_functions_fit_on_a_screen() -> None:
    long = [
        f"{name}:{fn.lineno} {fn.name} ({fn.end_lineno - fn.lineno + 1} lines)"
        for name, path in MODULES.items()
        if name.startswith("storyline.stages.")
        for fn in _functions(ast.parse(path.read_text(encoding="utf-8")))
        if fn.end_lineno is not None and fn.end_lineno - fn.lineno + 1 > STAGE_FUNCTION_LINES
    ]
    assert not long, f"stage functions over {STAGE_FUNCTION_LINES} lines (split them, one function per rule):\n" + "\n".join(long)


@pytest.mark.parametrize(
    ("module", "absent"),
    [
        ("storyline.pipeline", "storyline.evaluate"),
        ("storyline.pipeline", "storyline.store"),
        ("storyline.store", "storyline.stages"),
        ("storyline.story.queries", "storyline.stages"),
        ("storyline.web.plugin", "storyline.pipeline"),
    ],
)
def test_importing_a_part_loads_nothing_downstream(module: str, absent: str) -> None:
    code = f"import {module}, sys; print(sorted(m for m in sys.modules if m.startswith({absent!r})))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]", f"import {module} loads {out.strip()}"
