"""get_requires_for_build_*: the short way for the classic flit project gives the answer
the general way gives, whenever it answers at all."""

from __future__ import annotations

from pathlib import Path

import pytest

from fletching import requires, toml
from fletching.errors import FletchingError
from helpers import EXAMPLES, SAMPLES, write_project

DYNAMIC = """\
[project]
name = "{name}"
dynamic = {dynamic}
dependencies = ["needed>=1"]
{tool}"""

STATIC_MODULE = '"""Doc."""\n__version__ = "1.0"\n'
IMPORTED_MODULE = '"""Doc."""\n__version__ = ".".join(["1", "0"])\n'

# (files besides pyproject.toml, name, dynamic, tool tables)
LAYOUTS = {
    "flat-module": ({"demo.py": STATIC_MODULE}, "demo", '["version", "description"]', ""),
    "package": ({"demo/__init__.py": STATIC_MODULE}, "demo", '["version"]', ""),
    "src-package": ({"src/demo/__init__.py": STATIC_MODULE}, "demo", '["description"]', ""),
    "imported": ({"demo.py": IMPORTED_MODULE}, "demo", '["version"]', ""),
    "imported-description-static": (
        {"demo.py": IMPORTED_MODULE},
        "demo",
        '["description"]',
        "",
    ),
    "version-py": (
        {"demo/__init__.py": '"""Doc."""\n', "demo/_version.py": '__version__ = "2"\n'},
        "demo",
        '["version"]',
        "",
    ),
    "no-docstring": ({"demo.py": '__version__ = "1"\n'}, "demo", '["description"]', ""),
    "hyphenated": ({"my_demo.py": STATIC_MODULE}, "my-demo", '["version"]', ""),
    "flit-module": (
        {"other.py": IMPORTED_MODULE},
        "demo",
        '["version"]',
        '[tool.flit.module]\nname = "other"\n',
    ),
    "fletching-module": (
        {"other/__init__.py": STATIC_MODULE},
        "demo",
        '["version"]',
        '[tool.fletching.module]\nname = "other"\n',
    ),
    "both-layouts": (
        {"demo.py": STATIC_MODULE, "src/demo/__init__.py": STATIC_MODULE},
        "demo",
        '["version"]',
        "",
    ),
    "namespace-folder": ({"demo/sub.py": STATIC_MODULE}, "demo", '["version"]', ""),
    "dotted": ({"zope/demo/__init__.py": STATIC_MODULE}, "zope.demo", '["version"]', ""),
    "stubs": ({"demo-stubs/__init__.pyi": STATIC_MODULE}, "demo-stubs", '["version"]', ""),
    "keyword": ({"src/class.py": STATIC_MODULE}, "class", '["version"]', ""),
    "missing": ({"other.py": STATIC_MODULE}, "demo", '["version"]', ""),
    "vcs": (
        {"demo.py": IMPORTED_MODULE},
        "demo",
        '["version"]',
        '[tool.fletching.version]\nsource = "vcs"\n',
    ),
}


def _general(root: Path, raw: bytes) -> list[str] | str:
    try:
        return requires._build_requires(root, raw, requires._parsed(raw))
    except FletchingError as exc:
        return f"error: {exc}"


def _projects(tmp_path: Path) -> list[Path]:
    found = sorted(p.parent for p in SAMPLES.glob("*/pyproject.toml"))
    found += sorted(p.parent for p in EXAMPLES.glob("*/pyproject.toml"))
    for label, (files, name, dynamic, tool) in LAYOUTS.items():
        pyproject = DYNAMIC.format(name=name, dynamic=dynamic, tool=tool)
        found.append(write_project(tmp_path / label, {"pyproject.toml": pyproject, **files}))
    return found


def test_the_short_way_agrees_with_the_general_way(tmp_path: Path) -> None:
    answered = {}
    for root in _projects(tmp_path):
        raw = (root / "pyproject.toml").read_bytes()
        data = requires._parsed(raw)
        assert data is not None, root.name
        short = requires._classic(str(root), data)
        if short is not None:
            answered[root.name] = short
            assert short == _general(root, raw), root.name
    # It answers where it should, and leaves the rest to the general way.
    assert answered["flat-module"] == answered["package"] == answered["src-package"] == []
    assert answered["imported"] == answered["flit-module"] == ["needed>=1"]
    assert answered["imported-description-static"] == answered["version-py"] == []
    assert answered["no-docstring"] == ["needed>=1"]
    assert answered["hyphenated"] == answered["fletching-module"] == []
    assert answered["docstring-description"] == answered["classic-flit"] == []
    left = {"both-layouts", "namespace-folder", "dotted", "stubs", "keyword", "missing", "vcs"}
    assert not left & set(answered)


@pytest.mark.parametrize("label", ["both-layouts", "missing", "imported", "vcs"])
def test_the_hook_answers_as_the_general_way(tmp_path: Path, label: str) -> None:
    files, name, dynamic, tool = LAYOUTS[label]
    pyproject = DYNAMIC.format(name=name, dynamic=dynamic, tool=tool)
    root = write_project(tmp_path, {"pyproject.toml": pyproject, **files})
    raw = pyproject.encode()
    expected = _general(root, raw)
    if isinstance(expected, str):
        with pytest.raises(FletchingError):
            requires.build_requires(str(root), raw)
    else:
        assert requires.build_requires(str(root), raw) == expected


def test_the_toml_is_parsed_once_when_the_short_way_gives_up(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Listing its modules sends a project the general way.
    pyproject = DYNAMIC.format(name="demo", dynamic='["version"]', tool='import-names = ["demo"]\n')
    root = write_project(tmp_path / "p", {"pyproject.toml": pyproject, "demo.py": STATIC_MODULE})
    calls: list[str] = []
    real = toml.loads

    def counted(text: str) -> dict[str, object]:
        calls.append(text)
        return real(text)

    monkeypatch.setattr(toml, "loads", counted)
    assert requires.build_requires(str(root), (root / "pyproject.toml").read_bytes()) == []
    assert requires._classic(str(root), real(pyproject)) is None  # the general way answered
    assert len(calls) == 1
