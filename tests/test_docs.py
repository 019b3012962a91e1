"""Documentation checks: docstrings on the public API, README covers commands and codes.

None of these need the spaCy model.
"""

from __future__ import annotations

import dataclasses
import importlib
import inspect
import pkgutil
import re
from pathlib import Path
from typing import Any

import click
import pytest

import storyline
import storyline.errors

README = Path(__file__).resolve().parents[1] / "README.md"
#: Every module of the package (``python -m storyline.train`` only runs the trainer).
DOCUMENTED_MODULES = sorted(
    m.name for m in pkgutil.walk_packages(storyline.__path__, "storyline.") if not m.name.endswith(".__main__")
)


def has_docstring(obj: Any) -> bool:
    """A real docstring: not empty, and not the signature a dataclass writes when there is none."""
    doc = obj.__doc__
    if not doc or not doc.strip():
        return False
    if inspect.isclass(obj) and dataclasses.is_dataclass(obj):
        auto = obj.__name__ + str(inspect.signature(obj)).replace(" -> None", "")
        if doc == auto:
            return False
    return True


@pytest.fixture(scope="module")
def readme() -> str:
    return README.read_text(encoding="utf-8")


@pytest.mark.parametrize("name", storyline.__all__)
def test_exported_names_have_docstrings(name: str) -> None:
    obj = getattr(storyline, name)
    assert has_docstring(obj), f"storyline.{name} has no docstring"


def _public_objects(module_name: str) -> list[tuple[str, Any]]:
    module = importlib.import_module(module_name)
    out: list[tuple[str, Any]] = []
    for name, obj in vars(module).items():
        if name.startswith("_"):
            continue
        if not (inspect.isfunction(obj) or inspect.isclass(obj)):
            continue
        if getattr(obj, "__module__", None) != module_name:
            continue  # imported from elsewhere; checked where it is defined
        out.append((name, obj))
        if inspect.isclass(obj):  # and its public methods and properties
            out.extend(
                (f"{name}.{attr}", value)
                for attr, value in vars(obj).items()
                if not attr.startswith("_") and (inspect.isfunction(value) or isinstance(value, property))
            )
    return out


@pytest.mark.parametrize("module_name", DOCUMENTED_MODULES)
def test_module_public_api_has_docstrings(module_name: str) -> None:
    module = importlib.import_module(module_name)
    assert has_docstring(module), f"module {module_name} has no docstring"
    missing = [f"{module_name}.{name}" for name, obj in _public_objects(module_name) if not has_docstring(obj)]
    assert not missing, "public functions/classes without a docstring: " + ", ".join(missing)


def test_every_module_is_checked() -> None:
    assert {"storyline.pipeline", "storyline.stages.time.timexes", "storyline.web.plugin"} <= set(DOCUMENTED_MODULES)


def _cli_commands(cmd: click.Command, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    """Every command path under ``cmd`` (``("extract",)``, nested groups included)."""
    if not isinstance(cmd, click.Group):
        return [prefix]
    out: list[tuple[str, ...]] = []
    for name, sub in sorted(cmd.commands.items()):
        out.append((*prefix, name))
        if isinstance(sub, click.Group):
            out.extend(_cli_commands(sub, (*prefix, name)))
    return out


def test_cli_has_commands() -> None:
    from storyline.cli.main import main

    assert isinstance(main, click.Command)
    if isinstance(main, click.Group):
        assert main.commands, "the storyline group has no commands"


def test_cli_commands_in_readme(readme: str) -> None:
    from storyline.cli.main import main

    missing = []
    for path in _cli_commands(main):
        words = " ".join(path)
        usage = f"storyline {words}".strip()
        if usage not in readme:
            missing.append(usage)
    assert not missing, "CLI commands not mentioned in README.md: " + ", ".join(missing)


def _error_codes() -> dict[str, str]:
    return {
        name: value
        for name, value in vars(storyline.errors).items()
        if not name.startswith("_") and isinstance(value, str) and re.fullmatch(r"SL\d{3}", value)
    }


def test_error_codes_found() -> None:
    codes = _error_codes()
    assert codes, "no SLnnn constants found in storyline.errors"
    assert len(set(codes.values())) == len(codes), f"two constants share a code: {codes}"


@pytest.mark.parametrize(("name", "code"), [(name, code) for code, name in sorted((c, n) for n, c in _error_codes().items())])
def test_error_code_in_readme(name: str, code: str, readme: str) -> None:
    assert re.search(rf"\b{code}\b", readme), f"storyline.errors.{name} = {code!r} is not in README.md"
