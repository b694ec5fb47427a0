"""What the API takes in, for the tests that hold every input to a rule (numbers, text cleaning)."""

from __future__ import annotations


def operation_input_models():
    """Every input model of every API operation (path, query, body and form parameters)."""
    from labinov.api.api import api

    for _prefix, router in api._routers:
        for path_view in router.path_operations.values():
            for operation in path_view.operations:
                yield from operation.models
