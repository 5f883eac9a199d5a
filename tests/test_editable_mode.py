"""Choosing the editable mode: [tool.fletching.editable] mode and -C editable-mode.

What the strict import hook does once installed is tested in test_editable_hook.py;
here, which wheel each setting gives.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from fletching.errors import ConfigError
from helpers import MINIMAL_PYPROJECT, call_hook, validate_wheel, wheel_members, write_project

FILES = {
    "pyproject.toml": MINIMAL_PYPROJECT + 'import-names = ["demo", "helper"]\n',
    "demo/__init__.py": "",
    "helper.py": "",
    "conftest.py": "",
}
STRICT_TABLE = '\n[tool.fletching.editable]\nmode = "strict"\n'
HOOK = [
    "_fletching_editable_demo.pth",
    "_fletching_editable_demo.py",
    "_fletching_editable_demo.start",
]


def _editable(project: Path, out: Path, settings: dict[str, Any] | None = None) -> list[str]:
    """The editable wheel's members outside its .dist-info folder."""
    wheel = out / str(call_hook(project, "build_editable", str(out), settings))
    validate_wheel(wheel)
    return sorted(n for n in wheel_members(wheel) if ".dist-info/" not in n)


def _project(tmp_path: Path, table: str = "") -> Path:
    files = dict(FILES, **{"pyproject.toml": FILES["pyproject.toml"] + table})
    return write_project(tmp_path / "p", files)


def test_the_default_is_flit_s_pth(tmp_path: Path, out: Path) -> None:
    assert _editable(_project(tmp_path), out) == ["demo.pth"]


def test_the_table_chooses_strict(tmp_path: Path, out: Path) -> None:
    project = _project(tmp_path, STRICT_TABLE)
    assert _editable(project, out) == HOOK
    finder = wheel_members(out / "demo-1.0-py3-none-any.whl")[HOOK[1]].decode()
    # Both modules are mapped to their sources, and nothing else of the project.
    assert repr(str(project.resolve() / "demo")) in finder
    assert repr(str(project.resolve() / "helper.py")) in finder
    assert "conftest" not in finder


@pytest.mark.parametrize("key", ["editable-mode", "editable_mode"])
def test_a_config_setting_chooses_for_one_install(tmp_path: Path, out: Path, key: str) -> None:
    assert _editable(_project(tmp_path), out, {key: "strict"}) == HOOK


def test_a_config_setting_overrides_the_table(tmp_path: Path, out: Path) -> None:
    project = _project(tmp_path, STRICT_TABLE)
    assert _editable(project, out, {"editable-mode": "lenient"}) == ["demo.pth"]
    # Given twice (pip's -C a=1 -C a=2), the last one counts.
    assert _editable(project, out, {"editable-mode": ["strict", "lenient"]}) == ["demo.pth"]


def test_the_strict_wheel_is_reproducible(tmp_path: Path) -> None:
    project = _project(tmp_path, STRICT_TABLE)
    first = call_hook(project, "build_editable", str(tmp_path / "a"))
    second = call_hook(project, "build_editable", str(tmp_path / "b"))
    assert (tmp_path / "a" / first).read_bytes() == (tmp_path / "b" / second).read_bytes()


def test_a_regular_wheel_ignores_the_mode(tmp_path: Path, out: Path) -> None:
    project = _project(tmp_path, STRICT_TABLE)
    wheel = out / str(call_hook(project, "build_wheel", str(out), {"editable-mode": "strict"}))
    assert sorted(n for n in wheel_members(wheel) if ".dist-info/" not in n) == [
        "demo/__init__.py",
        "helper.py",
    ]


def test_an_unknown_config_setting_value_is_refused(tmp_path: Path, out: Path) -> None:
    with pytest.raises(ConfigError) as info:
        _editable(_project(tmp_path), out, {"editable-mode": "strcit"})
    assert str(info.value) == (
        "config settings: editable-mode: 'strcit' is not an editable mode (did you mean"
        ' \'strict\'?); write "strict" (only the project\'s modules importable) or "lenient"'
        " (the default: the folder holding them goes on sys.path, as with flit)"
    )


@pytest.mark.parametrize(
    ("table", "message"),
    [
        pytest.param(
            '\n[tool.fletching.editable]\nmode = "compat"\n',
            "pyproject.toml: [tool.fletching.editable] mode: 'compat' is not an editable mode;",
            id="unknown-mode",
        ),
        pytest.param(
            "\n[tool.fletching.editable]\nmode = true\n",
            "pyproject.toml: [tool.fletching.editable] mode: expected a string, got a boolean",
            id="not-a-string",
        ),
        pytest.param(
            '\n[tool.fletching.editable]\nmdoe = "strict"\n',
            "pyproject.toml: [tool.fletching.editable]: unknown key 'mdoe' (did you mean"
            " 'mode'?); the keys allowed are: mode",
            id="unknown-key",
        ),
        pytest.param(
            '\n[tool.fletching]\neditable = "strict"\n',
            "pyproject.toml: [tool.fletching.editable]: expected a table, got a string",
            id="not-a-table",
        ),
    ],
)
def test_a_wrong_editable_table_is_refused(
    tmp_path: Path, out: Path, table: str, message: str
) -> None:
    with pytest.raises(ConfigError) as info:
        _editable(_project(tmp_path, table), out)
    assert str(info.value).startswith(message)


def test_the_table_sits_beside_tool_flit(tmp_path: Path, out: Path) -> None:
    files = {
        "pyproject.toml": MINIMAL_PYPROJECT.replace('"demo"', '"demo-dist"', 1)
        + '\n[tool.flit.module]\nname = "demo"\n'
        + STRICT_TABLE,
        "demo/__init__.py": "",
    }
    project = write_project(tmp_path / "p", files)
    assert _editable(project, out) == [
        "_fletching_editable_demo_dist.pth",
        "_fletching_editable_demo_dist.py",
        "_fletching_editable_demo_dist.start",
    ]


def test_strict_mode_refuses_a_module_name_nothing_can_import(tmp_path: Path, out: Path) -> None:
    # flit_core packs the folder 'my-pkg'; the lenient mode still installs it.
    files = {
        "pyproject.toml": MINIMAL_PYPROJECT + '\n[tool.flit.module]\nname = "my-pkg"\n',
        "my-pkg/__init__.py": "",
    }
    project = write_project(tmp_path / "p", files)
    assert _editable(project, out) == ["my-pkg.pth"]
    why = (
        "'my-pkg' (my-pkg) is not an importable module name, so a strict editable install"
        " cannot make it importable; rename the module, or install it in the lenient mode"
        ' (the default: editable-mode = "lenient")'
    )
    # The message names what chose the strict mode: the setting, or the table.
    with pytest.raises(ConfigError) as info:
        _editable(project, out, {"editable-mode": "strict"})
    assert str(info.value) == f"config settings: editable-mode: {why}"
    text = (project / "pyproject.toml").read_text() + STRICT_TABLE
    (project / "pyproject.toml").write_text(text)
    with pytest.raises(ConfigError) as info:
        _editable(project, out)
    assert str(info.value) == f"pyproject.toml: [tool.fletching.editable] mode: {why}"
