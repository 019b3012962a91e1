"""Run the ``storyline`` command in-process, stderr kept apart from stdout (shared by the CLI tests)."""

from __future__ import annotations

from click.testing import CliRunner, Result

from storyline.cli.main import main


def invoke(args: list[str]) -> Result:
    """``storyline ARGS`` with ``CliRunner``; exceptions propagate, so a crash shows its traceback."""
    try:
        runner = CliRunner(mix_stderr=False)  # type: ignore[call-arg]  # click < 8.2
    except TypeError:
        runner = CliRunner()
    return runner.invoke(main, args, catch_exceptions=False)
