"""kg.forked: work in a forked child comes back as a Future, answers and failures alike."""
from __future__ import annotations

import os

import pytest

from kg.forked import forked
from kg.validation import ShapeResult, ShapeViolations

VIOLATION = ShapeResult("Violation", "kg/data/records/actors.yaml: record 'x' (line 3)", "rdfs:label",
                        "every entity needs an English label")


def child_pid() -> int:
    return os.getpid()


def total(numbers) -> int:
    return sum(numbers)


def shapes_fail() -> None:
    raise ShapeViolations([VIOLATION])


def dies() -> None:
    os._exit(3)


def answers_a_lambda():
    return lambda: None


def test_the_answer_comes_back_from_another_process():
    pid, seconds = forked(child_pid).result(timeout=60)
    assert pid != os.getpid()
    assert seconds >= 0


def test_the_child_sees_the_parents_objects_without_serialising_them():
    numbers = (n * n for n in range(1000))  # a generator: it cannot be pickled, only inherited
    assert forked(total, numbers).result(timeout=60)[0] == sum(n * n for n in range(1000))


def test_a_shape_violation_keeps_its_results():
    with pytest.raises(ShapeViolations) as raised:
        forked(shapes_fail).result(timeout=60)
    assert raised.value.results == [VIOLATION]
    assert "every entity needs an English label" in str(raised.value)


def test_a_child_that_dies_is_an_error_naming_its_exit_code():
    with pytest.raises(RuntimeError, match=r"running dies ended with exit code 3"):
        forked(dies).result(timeout=60)


def test_an_answer_that_cannot_be_sent_back_is_an_error_not_a_hang():
    with pytest.raises(RuntimeError, match=r"answers_a_lambda answered .* cannot be sent back"):
        forked(answers_a_lambda).result(timeout=60)
