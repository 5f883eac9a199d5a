"""The libraries inside fletching: exactly the pinned releases, used only through
``fletching._vendor``, and replaced by the installed ones when a distribution unvendors."""

from __future__ import annotations

import ast
import hashlib
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from fletching._vendoring import library_version
from helpers import REPO, SAMPLES, build_wheel, copy_tree, wheel_members, wheel_metadata_text

VENDOR = REPO / "fletching" / "_vendor"
sys.path.insert(0, str(REPO / "tests" / "vendoring"))
import vendor  # noqa: E402  (the vendoring tool, tests/vendoring/vendor.py)

PINS = {pin.name: pin for pin in vendor.read_pins((VENDOR / vendor.PINS).read_text())}


def test_every_vendored_file_is_the_pinned_releases_file() -> None:
    """Offline: each file matches the sha256 that the vendoring tool recorded from the
    hash-checked release wheel, and nothing was added or left out."""
    listed = {}
    for line in (VENDOR / vendor.MANIFEST).read_text().splitlines():
        digest, name = line.split("  ", 1)
        listed[name] = digest
    present = vendor.current_tree(VENDOR)
    present.pop(vendor.MANIFEST)
    assert sorted(present) == sorted(listed)
    for name, data in present.items():
        assert hashlib.sha256(data).hexdigest() == listed[name], f"{name} was modified"


def test_the_manifest_is_what_the_tool_writes_for_these_files() -> None:
    present = vendor.current_tree(VENDOR)
    manifest = present.pop(vendor.MANIFEST)
    assert vendor.manifest(present) == manifest


LISTING = vendor.read_listing((VENDOR / vendor.PINS).read_text())


def test_the_tree_is_the_releases_plus_exactly_the_listed_patches() -> None:
    """Offline: with each listed patch taken back, every file is as released, by the
    sha256 the vendoring tool recorded from the hash-checked wheels."""
    present = vendor.current_tree(VENDOR)
    present.pop(vendor.MANIFEST)
    for name in LISTING.patches:
        patch = (vendor.PATCHES / name).read_text(encoding="utf-8")
        vendor.apply_patch(present, patch, name, reverse=True)
    assert vendor.manifest(present) == vendor.RELEASED.read_bytes()
    assert sorted(p.name for p in vendor.PATCHES.glob("*")) == sorted(LISTING.patches)
    assert all(reason.strip() for reason in {**LISTING.patches, **LISTING.dropped}.values())


def test_a_patch_applies_exactly_or_not_at_all() -> None:
    files = {"m.py": b"a\nb\nc\n"}
    patch = "--- a/m.py\n+++ b/m.py\n@@ -1,3 +1,3 @@\n a\n-b\n+B\n c\n"
    vendor.apply_patch(files, patch, "p")
    assert files == {"m.py": b"a\nB\nc\n"}
    vendor.apply_patch(files, patch, "p", reverse=True)
    assert files == {"m.py": b"a\nb\nc\n"}
    files = {"m.py": b"a\nx\nc\n"}
    with pytest.raises(SystemExit, match=r"does not apply to m\.py at line 1"):
        vendor.apply_patch(files, patch, "p")


def _vendored_modules() -> dict[str, Path]:
    found = {}
    for path in VENDOR.rglob("*.py"):
        parts = list(path.relative_to(VENDOR).with_suffix("").parts)
        found[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return found


def _imports(path: Path, package: str) -> set[str]:
    """Every module an import statement in the file names, at any depth (in functions
    too), absolute, as a module of _vendor/ or of fletching would be named."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = package.split(".")[: len(package.split(".")) - node.level + 1]
            module = ".".join([*base, node.module] if node.module else base)
            if not node.level:
                module = node.module or ""
            names.add(module)
            names.update(f"{module}.{alias.name}" for alias in node.names)
    return names


# Imports in the vendored code that fletching never runs: (module, imported): why.
NEVER_RUN = {
    ("packaging.specifiers", "packaging.ranges"): "SpecifierSet.to_range",
}


def test_every_module_fletching_can_import_is_vendored() -> None:
    vendored = _vendored_modules()
    wanted = set()
    for path in (REPO / "fletching").glob("*.py"):
        for name in _imports(path, "fletching"):
            if name.startswith("fletching._vendor."):
                wanted.add(name[len("fletching._vendor.") :])
            elif name.split(".")[0] in ("packaging", "trove_classifiers", "tomli"):
                wanted.add(name)  # the installed library a newer list comes from, say
    reached, todo = set(), [name for name in wanted if name in vendored]
    while todo:
        name = todo.pop()
        if name in reached:
            continue
        reached.add(name)
        parts = name.split(".")
        todo += [".".join(parts[:i]) for i in range(1, len(parts))]  # parents run first
        package = name if vendored[name].name == "__init__.py" else name.rpartition(".")[0]
        for imported in _imports(vendored[name], package):
            top = imported.split(".")[0]
            if top in ("packaging", "tomli", "trove_classifiers") and imported in vendored:
                todo.append(imported)
            elif top in ("packaging", "tomli", "trove_classifiers"):
                parent = imported.rpartition(".")[0]  # `from .x import name`: a name in x
                never_run = {(name, imported), (name, parent)} & NEVER_RUN.keys()
                missing = parent not in vendored and not never_run
                assert not missing, f"{name} imports {imported}, which is not vendored"
    assert {"packaging.requirements", "packaging.licenses._spdx", "tomli"} <= reached
    assert "trove_classifiers" in reached
    # What fletching never runs, it never names.
    source = "".join(p.read_text(encoding="utf-8") for p in (REPO / "fletching").glob("*.py"))
    for method in NEVER_RUN.values():
        assert method.rpartition(".")[2] not in source


def test_only_the_listed_files_are_left_out() -> None:
    released = {line.split("  ", 1)[1] for line in vendor.RELEASED.read_text().splitlines() if line}
    present = set(vendor.current_tree(VENDOR)) - {vendor.MANIFEST}
    assert present == released
    assert not set(LISTING.dropped) & present
    assert {p.split("/")[0] for p in LISTING.dropped} <= {"packaging", "tomli", "trove_classifiers"}


def test_utils_imports_tags_only_to_parse_a_wheel_name() -> None:
    code = textwrap.dedent("""
        import sys
        from fletching._vendor.packaging import utils
        assert utils.canonicalize_name("A_b", validate=True) == "a-b"
        loaded = {"fletching._vendor.packaging.tags", "logging", "platform", "subprocess"}
        print(sorted(loaded & set(sys.modules)))
        from fletching._vendor.packaging.tags import Tag
        name = utils.parse_wheel_filename("a_b-1.0-py2.py3-none-any.whl")
        assert name[3] == {Tag("py2", "none", "any"), Tag("py3", "none", "any")}, name
        for bad in ("a-1.0-py3.-none-any.whl", "a-1.0-py3.py2-none-any.whl"):
            try:
                utils.parse_wheel_filename(bad, validate_order=True)
            except utils.InvalidWheelFilename as exc:
                print(type(exc).__name__)
    """)
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=REPO
    )
    assert done.stdout.split("\n")[:3] == ["[]", "InvalidWheelFilename", "InvalidWheelFilename"]


def test_a_token_is_what_the_dataclass_made() -> None:
    import dataclasses

    from fletching._vendor.packaging._tokenizer import Token

    @dataclasses.dataclass
    class Released:
        __slots__ = ("name", "position", "text")
        name: str
        text: str
        position: int

    token, released = Token("OP", ">=", 3), Released("OP", ">=", 3)
    # The dataclass names its __qualname__, which for the vendored Token is "Token".
    assert repr(token) == "Token(" + repr(released).split("(", 1)[1]
    assert token == Token("OP", ">=", 3)
    assert token != Token("OP", ">=", 4)
    assert (token == released) is False
    assert Token.__hash__ is None
    assert Released.__hash__ is None
    # Python 3.9's dataclass writes no __match_args__ (there is no match statement).
    assert Token.__match_args__ == getattr(Released, "__match_args__", Token.__match_args__)
    assert Token.__slots__ == Released.__slots__
    code = (
        "import sys, fletching._vendor.packaging.requirements; print('dataclasses' in sys.modules)"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=REPO
    )
    assert done.stdout.strip() == "False"


def test_the_pins_are_the_versions_fletching_runs() -> None:
    from fletching._vendor import packaging, tomli

    assert set(PINS) == {"packaging", "tomli", "trove-classifiers"}
    assert all(pin.sha256 for pin in PINS.values())
    assert packaging.__version__ == PINS["packaging"].version
    assert tomli.__version__ == PINS["tomli"].version
    for name, pin in PINS.items():
        assert library_version(name) == pin.version


def test_every_vendored_licence_is_shipped_and_declared(tmp_path: Path) -> None:
    licences = sorted(
        path.relative_to(REPO).as_posix()
        for path in (VENDOR / "licenses").rglob("*")
        if path.is_file()
    )
    assert {name.split("/")[3] for name in licences} == {vendor._wheel_name(name) for name in PINS}
    wheel = build_wheel(REPO, tmp_path)
    members = wheel_members(wheel)
    for name in licences:
        assert f"fletching-{wheel.name.split('-')[1]}.dist-info/licenses/{name}" in members
    metadata = wheel_metadata_text(wheel)
    assert "Requires-Dist" not in metadata  # installing fletching installs nothing else
    assert "License-Expression: MIT AND (Apache-2.0 OR BSD-2-Clause) AND Apache-2.0" in metadata


_LIBRARIES = ("packaging", "tomli", "tomllib", "trove_classifiers")


def _imports_outside_vendor(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        else:
            continue
        found += [
            f"{path.name}:{node.lineno} {name}"
            for name in names
            if name.split(".")[0] in _LIBRARIES
        ]
    return found


def test_fletching_reaches_its_libraries_only_through_vendor() -> None:
    """An ``import packaging`` would take whatever the build environment holds."""
    sources = sorted((REPO / "fletching").glob("*.py"))
    found = [hit for path in sources for hit in _imports_outside_vendor(path)]
    # tomllib is the standard library's, used from Python 3.11 on; _vendoring imports
    # the installed libraries on purpose (unvendored, and for a newer classifier list).
    allowed = {
        "toml.py": {"tomllib"},
        "fields.py": {"trove_classifiers"},
    }
    unexpected = [
        hit for hit in found if hit.split()[1] not in allowed.get(hit.split(":")[0], set())
    ]
    assert unexpected == []


def _unvendored_copy(tmp_path: Path) -> Path:
    """fletching as a distribution that removed _vendor/ ships it."""
    site = tmp_path / "site"
    copy_tree(REPO / "fletching", site / "fletching")
    shutil.rmtree(site / "fletching" / "_vendor")
    return site


_UNVENDORED_BUILD = """
import sys
from pathlib import Path
from fletching import buildapi
import os
os.chdir(sys.argv[1])
name = buildapi.build_wheel(sys.argv[2])
buildapi.build_sdist(sys.argv[2])
import packaging.requirements, packaging.licenses, trove_classifiers
from fletching._vendor.packaging import requirements
import fletching._vendor.trove_classifiers as trove
assert requirements is packaging.requirements, "a second copy of packaging was loaded"
assert trove is trove_classifiers
assert packaging.requirements.__spec__.name == "packaging.requirements"
assert packaging.licenses.__spec__.name == "packaging.licenses"
prefix = "fletching._vendor."
for alias, module in list(sys.modules.items()):
    if alias.startswith(prefix):
        assert module is sys.modules[alias[len(prefix):]], f"{alias} is a second copy"
print(name)
"""


def test_without_vendor_the_installed_libraries_build_the_same_wheel(tmp_path: Path) -> None:
    site = _unvendored_copy(tmp_path)
    project = copy_tree(SAMPLES / "deps-markers-extras", tmp_path / "project")
    unvendored_out = tmp_path / "unvendored"
    env = {**os.environ, "PYTHONPATH": str(site)}
    result = subprocess.run(
        [sys.executable, "-c", _UNVENDORED_BUILD, str(project), str(unvendored_out)],
        env=env,
        capture_output=True,
        text=True,
        check=False,
        cwd=tmp_path,  # not the repository, whose fletching -c would import first
    )
    assert result.returncode == 0, result.stderr
    wheel_name = result.stdout.strip()
    vendored = build_wheel(project, tmp_path / "vendored")
    assert vendored.name == wheel_name
    assert (unvendored_out / wheel_name).read_bytes() == vendored.read_bytes()


def test_without_vendor_and_without_the_libraries_the_error_names_the_library(
    tmp_path: Path,
) -> None:
    site = _unvendored_copy(tmp_path)
    project = copy_tree(SAMPLES / "deps-markers-extras", tmp_path / "project")
    code = textwrap.dedent("""
        import sys
        sys.modules["packaging"] = None  # as if it were not installed
        import os
        from fletching import buildapi
        os.chdir(sys.argv[1])
        buildapi.build_wheel(sys.argv[2])
    """)
    result = subprocess.run(
        [sys.executable, "-c", code, str(project), str(tmp_path / "out")],
        env={**os.environ, "PYTHONPATH": str(site)},
        capture_output=True,
        text=True,
        check=False,
        cwd=tmp_path,  # not the repository, whose fletching -c would import first
    )
    assert result.returncode != 0
    assert (
        "ModuleNotFoundError: No module named 'packaging': fletching's _vendor folder was"
        " removed, so it needs packaging installed" in result.stderr
    )


@pytest.fixture
def newer_trove_classifiers(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """An installed trove-classifiers that knows one classifier fletching's copy does not."""
    new = "Framework :: Fletching Test :: 9"
    package = tmp_path / "newer" / "trove_classifiers"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text(
        f"classifiers = {{{new!r}}}\ndeprecated_classifiers = {{}}\n"
    )
    monkeypatch.syspath_prepend(str(tmp_path / "newer"))
    monkeypatch.delitem(sys.modules, "trove_classifiers", raising=False)
    return new


def test_a_classifier_only_a_newer_installed_list_knows_is_accepted(
    newer_trove_classifiers: str,
) -> None:
    from fletching._vendor.trove_classifiers import classifiers
    from fletching.model import parse_pyproject

    assert newer_trove_classifiers not in classifiers
    data = {"project": {"name": "demo", "version": "1", "classifiers": [newer_trove_classifiers]}}
    assert parse_pyproject(data).metadata.classifiers == (newer_trove_classifiers,)


def test_an_unknown_classifier_names_the_list_and_how_to_get_a_newer_one() -> None:
    from fletching.errors import ConfigError
    from fletching.model import parse_pyproject

    data = {"project": {"name": "demo", "version": "1", "classifiers": ["Framework :: Nope"]}}
    with pytest.raises(ConfigError) as info:
        parse_pyproject(data)
    message = str(info.value)
    assert f"trove-classifiers {PINS['trove-classifiers'].version}" in message
    assert '"trove-classifiers>=' in message
    assert "[build-system] requires" in message


def test_the_readme_names_the_pinned_versions() -> None:
    text = (REPO / "README.rst").read_text(encoding="utf-8")
    section = text[text.index("What is inside fletching") :]
    for name, pin in PINS.items():
        assert f"   * - {name}\n     - {pin.version}" in section, name
