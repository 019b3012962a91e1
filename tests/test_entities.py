"""Entity resolution rules that the golden articles do not isolate."""

from __future__ import annotations

import pytest

import storyline

pytestmark = pytest.mark.model


def _epithets(text: str) -> dict[str, str]:
    record = storyline.extract(text)
    return {m.text: e.name for e in record.entities for m in e.mentions if m.kind == "epithet"}


def test_epithet_after_a_named_subject_refers_to_that_subject() -> None:
    text = (
        " date 2026-07-22 Mara Quist sued the publisher in March and has spoken about it often. "
        '"We will win," Quist said on Monday.\n\n'
        'Tomas Eberg, speaking on a call with investors, said he was "glad it is over". '
        "The Ironbridge chief did not take questions."
    )
    assert _epithets(text)["The Ironbridge chief"] == "Tomas Eberg"


def test_epithet_after_a_quoted_sentence_falls_back_to_salience() -> None:
    text = (
        " date 2026-06-08 Mara Quist, a mother of two, founded the studio. Quist said the deal was fair. "
        "Her lawyer, Ines Falk, spoke on Friday.\n\n"
        '"This was a private message," Falk said. "It should have stayed private."\n\n'
        "The mother of two has not commented."
    )
    assert _epithets(text)["The mother of two"] == "Mara Quist"
