"""The name rules: the ``-stubs`` suffix, import names, file names."""

from __future__ import annotations

import pytest

from fletching.names import (
    file_name,
    import_name_for,
    init_files,
    is_stubs,
    namespaces_around,
    normalized_from_file_name,
    provided_import_names,
    split_stubs,
)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("foo-stubs", ("foo", True)),
        ("a.b-stubs", ("a.b", True)),
        ("foo", ("foo", False)),
        ("foo_stubs", ("foo_stubs", False)),
        ("-stubs", ("", True)),
    ],
)
def test_split_stubs(name: str, expected: tuple[str, bool]) -> None:
    assert split_stubs(name) == expected
    assert is_stubs(name) == expected[1]


def test_a_stubs_package_may_have_an_init_pyi_and_provides_no_import_name() -> None:
    assert init_files("foo-stubs") == ("__init__.py", "__init__.pyi")
    assert init_files("foo") == ("__init__.py",)
    assert provided_import_names("foo-stubs") == ()
    assert provided_import_names("a.b") == ("a.b",)


@pytest.mark.parametrize(
    ("module", "expected"),
    [("a", ()), ("a.b", ("a",)), ("a.b.c", ("a", "a.b")), ("a.b-stubs", ("a",))],
)
def test_namespaces_around(module: str, expected: tuple[str, ...]) -> None:
    assert namespaces_around(module) == expected


@pytest.mark.parametrize(
    ("dist", "module"),
    [("foo-bar", "foo_bar"), ("Foo.Bar", "Foo.Bar"), ("foo-bar-stubs", "foo_bar-stubs")],
)
def test_import_name_for(dist: str, module: str) -> None:
    assert import_name_for(dist) == module


@pytest.mark.parametrize("normalized", ["demo", "demo-pkg", "a-b-c"])
def test_file_name_round_trips(normalized: str) -> None:
    assert file_name(normalized) == normalized.replace("-", "_")
    assert normalized_from_file_name(file_name(normalized)) == normalized
