"""Bad projects on disk, each with the exact message a user sees (see test_model for the
pure-config table). Every case ends in a FletchingError and leaves no artefact."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from fletching.errors import ConfigErrors, FletchingError
from helpers import MINIMAL_PYPROJECT, build_sdist, build_wheel, write_project

GOOD_MODULE = {"demo.py": '"""Demo."""\n'}
DYNAMIC = MINIMAL_PYPROJECT.replace('version = "1.0"\ndescription = "A demo project."\n', "")
DYNAMIC += 'dynamic = ["version", "description"]\n'

CASES = [
    pytest.param(
        {
            "pyproject.toml": MINIMAL_PYPROJECT.replace('"1.0"', '"' + "1" * 5000 + '"'),
            **GOOD_MODULE,
        },
        "pyproject.toml: [project] version: '" + "1" * 5000 + "' is not a valid version (PEP"
        " 440), e.g. '1.0', '2.1.0rc1', '0.3.dev2'",
        id="version-too-long-for-int",
    ),
    pytest.param(
        {"pyproject.toml": MINIMAL_PYPROJECT + "[tool.x]\na = " + "[" * 1000 + "]" * 1000 + "\n"},
        "pyproject.toml: invalid TOML: nested too deeply",
        id="toml-nested-too-deeply",
    ),
    pytest.param(
        {
            "pyproject.toml": MINIMAL_PYPROJECT
            + '[project.entry-points."grp\\n"]\na = "demo:main"\n',
            **GOOD_MODULE,
        },
        "pyproject.toml: [project] entry-points.\"grp\\n\": 'grp\\n' is not a valid entry point"
        " group name",
        id="entry-point-group-with-a-line-break",
    ),
    pytest.param(
        {"pyproject.toml": '[project]\nname = "demo"\nversion = 1.0.0\n'},
        "pyproject.toml: line 3, column 14: invalid TOML: Expected newline or end of document"
        " after a statement",
        id="toml-syntax",
    ),
    pytest.param(
        {"pyproject.toml": b'[project]\nname = "d\xe9mo"\n'},
        "pyproject.toml: is not valid UTF-8 (byte 0xe9 at line 2, column 10); save it as UTF-8",
        id="pyproject-not-utf8",
    ),
    pytest.param(
        {"flit.ini": "[metadata]\nmodule = demo\n"},
        "flit.ini: flit.ini is no longer read; describe the project in a [project] table in"
        " pyproject.toml (https://flit.pypa.io/en/latest/pyproject_toml.html)",
        id="lone-flit-ini",
    ),
    pytest.param(
        {"pyproject.toml": MINIMAL_PYPROJECT + 'readme = "README.md"\n', **GOOD_MODULE},
        "pyproject.toml: [project] readme: the file 'README.md' does not exist",
        id="missing-readme",
    ),
    pytest.param(
        {
            "pyproject.toml": MINIMAL_PYPROJECT + 'readme = "docs.md"\n',
            "docs.md/index.md": "",
            **GOOD_MODULE,
        },
        "pyproject.toml: [project] readme: 'docs.md' is a folder, not a file",
        id="readme-is-a-folder",
    ),
    pytest.param(
        {"pyproject.toml": MINIMAL_PYPROJECT + 'readme = "R.md"\n', "R.md": b"\xff", **GOOD_MODULE},
        "pyproject.toml: [project] readme: the file 'R.md' is not valid UTF-8 (byte 0xff at line 1,"
        " column 1); save it as UTF-8",
        id="readme-not-utf8",
    ),
    pytest.param(
        {"pyproject.toml": MINIMAL_PYPROJECT + 'license-files = ["LICENSE*"]\n', **GOOD_MODULE},
        "pyproject.toml: [project] license-files[0]: 'LICENSE*' matches no file",
        id="license-glob-matches-nothing",
    ),
    pytest.param(
        {"pyproject.toml": MINIMAL_PYPROJECT + 'license = {file = "COPYING"}\n', **GOOD_MODULE},
        "pyproject.toml: [project] license.file: the file 'COPYING' does not exist",
        id="legacy-license-file-missing",
    ),
    pytest.param(
        {"pyproject.toml": MINIMAL_PYPROJECT + 'readme = "docs/README.md"\n', **GOOD_MODULE}
        | {"docs/README.rst": "Demo"},
        "pyproject.toml: [project] readme: the file 'docs/README.md' does not exist (did you"
        " mean 'docs/README.rst'?)",
        id="readme-typo",
    ),
    pytest.param(
        {"pyproject.toml": MINIMAL_PYPROJECT + 'license-files = ["LICENCE"]\n', **GOOD_MODULE}
        | {"LICENSE": "MIT"},
        "pyproject.toml: [project] license-files[0]: 'LICENCE' matches no file (did you mean"
        " 'LICENSE'?)",
        id="license-file-typo",
    ),
    pytest.param(
        {"pyproject.toml": MINIMAL_PYPROJECT.replace('"demo"', '"demo-app"')}
        | {"src/demoapp/__init__.py": ""},
        "pyproject.toml: [project] name: cannot find the module 'demo_app': looked for"
        " demo_app/__init__.py, demo_app.py, src/demo_app/__init__.py, src/demo_app.py; found"
        " 'src/demoapp': set [tool.flit.module] name = \"demoapp\"",
        id="module-under-another-spelling",
    ),
    pytest.param(
        {"pyproject.toml": MINIMAL_PYPROJECT},
        "pyproject.toml: [project] name: cannot find the module 'demo': looked for"
        " demo/__init__.py, demo.py, src/demo/__init__.py, src/demo.py. Set [tool.flit.module]"
        " name if the import name differs from the distribution name",
        id="module-missing",
    ),
    pytest.param(
        {"pyproject.toml": MINIMAL_PYPROJECT, "demo.py": "", "src/demo/__init__.py": ""},
        "pyproject.toml: [project] name: the module 'demo' is ambiguous: found 'demo.py' and"
        " 'src/demo'; remove or rename all but one",
        id="module-ambiguous",
    ),
    pytest.param(
        {
            "pyproject.toml": MINIMAL_PYPROJECT + '\n[tool.flit.module]\nname = "other"\n',
            **GOOD_MODULE,
        },
        "pyproject.toml: [tool.flit.module] name: cannot find the module 'other': looked for"
        " other/__init__.py, other.py, src/other/__init__.py, src/other.py. Set"
        " [tool.flit.module] name if the import name differs from the distribution name",
        id="configured-module-missing",
    ),
    pytest.param(
        {"pyproject.toml": DYNAMIC, "demo.py": '"""Demo."""\n'},
        'demo.py: [project] dynamic lists "version" but the module has no __version__; add'
        ' __version__ = "1.0" to it, or set [project] version',
        id="version-missing",
    ),
    pytest.param(
        {"pyproject.toml": DYNAMIC, "demo.py": '"""Demo."""\n__version__ = (1, 2)\n'},
        "demo.py: importing 'demo' gives __version__ = (1, 2), which is not a string; write the"
        ' version as a string, e.g. __version__ = "1.2.3"',
        id="version-not-a-string",
    ),
    pytest.param(
        {"pyproject.toml": DYNAMIC, "demo.py": '"""Demo."""\n__version__ = "one.two"\n'},
        "demo.py: __version__: __version__ = 'one.two' is not a valid version (PEP 440)",
        id="version-not-pep440",
    ),
    pytest.param(
        {"pyproject.toml": DYNAMIC, "demo.py": '__version__ = "1.0"\n'},
        'demo.py: [project] dynamic lists "description" but the module has no docstring; start'
        " the module with a one-line docstring, or set [project] description",
        id="docstring-missing",
    ),
    pytest.param(
        {
            "pyproject.toml": DYNAMIC,
            "demo.py": '"""Demo."""\nraise RuntimeError("set DEMO_HOME first")\n',
        },
        "demo.py: the version or description is read from the module, and the source has no"
        " plain __version__ = \"...\" string or docstring, so fletching imported 'demo', which"
        ' failed:\n    RuntimeError: set DEMO_HOME first\nWrite __version__ = "1.2.3" as a'
        " plain string in the module, or give version and description statically in [project]",
        id="import-fallback-fails",
    ),
    pytest.param(
        {
            "pyproject.toml": MINIMAL_PYPROJECT + '\n[tool.flit.external-data]\ndirectory = "d"\n',
            **GOOD_MODULE,
        },
        "pyproject.toml: [tool.flit.external-data] directory: 'd' is not a folder in the project",
        id="external-data-missing",
    ),
    pytest.param(
        {
            "pyproject.toml": MINIMAL_PYPROJECT
            + 'import-names = ["other"]\n[tool.flit.module]\nname = "demo"\n',
            **GOOD_MODULE,
        },
        "pyproject.toml: [project] import-names: ['other'] does not match the module this"
        " project ships; write import-names = ['demo']",
        id="import-names-mismatch",
    ),
    pytest.param(
        {"pyproject.toml": MINIMAL_PYPROJECT + 'import-names = ["demo", "other"]\n', **GOOD_MODULE},
        "pyproject.toml: [project] import-names[1]: cannot find the module 'other': looked for"
        " other/__init__.py, other.py, src/other/__init__.py, src/other.py; list the module's"
        " import name, or create it",
        id="import-names-not-found",
    ),
    pytest.param(
        {
            "pyproject.toml": MINIMAL_PYPROJECT + 'import-names = ["demo", "Helper"]\n',
            **GOOD_MODULE,
            "helper.py": "",
        },
        "pyproject.toml: [project] import-names[1]: cannot find the module 'Helper': looked for"
        " Helper/__init__.py, Helper.py, src/Helper/__init__.py, src/Helper.py; found"
        " 'helper.py': list 'helper' instead",
        id="import-names-case",
    ),
    pytest.param(
        {
            "pyproject.toml": MINIMAL_PYPROJECT + 'import-names = ["demo", "demo; private"]\n',
            **GOOD_MODULE,
        },
        "pyproject.toml: [project] import-names[1]: 'demo' is 'demo.py', the same files as"
        " 'demo', which [project] import-names[0] names already; list each top-level module"
        " once, by its shortest import name",
        id="import-names-twice",
    ),
    pytest.param(
        {
            "pyproject.toml": MINIMAL_PYPROJECT
            + 'import-names = ["demo", "helper"]\n[tool.fletching.module]\nname = "other"\n',
            **GOOD_MODULE,
            "helper.py": "",
        },
        "pyproject.toml: [tool.fletching.module] name: 'other' is not one of the modules"
        " [project] import-names lists ('demo', 'helper'); with several modules this name only"
        " picks the one a dynamic version or description is read from: name one of them, or"
        " add it to import-names",
        id="import-names-module-not-listed",
    ),
    pytest.param(
        {
            "pyproject.toml": MINIMAL_PYPROJECT.replace('"demo"', '"a.demo"')
            + 'import-namespaces = ["b"]\n',
            "a/demo.py": "",
        },
        "pyproject.toml: [project] import-namespaces: ['b'] does not match the namespace"
        " packages around 'a.demo'; write import-namespaces = ['a']",
        id="import-namespaces-mismatch",
    ),
    pytest.param(
        {"pyproject.toml": MINIMAL_PYPROJECT, "demo.py": "", "demo/x.txt": ""},
        "pyproject.toml: [project] name: the folder 'demo' has no __init__.py; add one, or for a"
        " namespace package give the dotted name of the portion, e.g. [tool.flit.module] name ="
        ' "demo.sub"',
        id="package-without-init",
    ),
]


CASES += [
    pytest.param(
        {"pyproject.toml": MINIMAL_PYPROJECT, **GOOD_MODULE, "LICENSE\nX": "MIT"},
        "'LICENSE\\nX': cannot be stored in an archive: the name contains a control character",
        id="license-file-name-with-a-newline",
    ),
    pytest.param(
        # Not a C0 control, yet a line break to str.splitlines() and so to METADATA.
        {"pyproject.toml": MINIMAL_PYPROJECT, **GOOD_MODULE, "LICENSE\u2028X": "MIT"},
        "'LICENSE\\u2028X': cannot be stored in an archive: the name contains a control character",
        id="license-file-name-with-a-unicode-line-separator",
    ),
    pytest.param(
        {"pyproject.toml": MINIMAL_PYPROJECT, "demo/__init__.py": "", "demo/a\\b.txt": ""},
        "'demo/a\\\\b.txt': cannot be stored in an archive: the name is not a plain relative path",
        id="backslash-in-a-file-name",
    ),
    pytest.param(
        {"pyproject.toml": MINIMAL_PYPROJECT + 'name = ["a"', **GOOD_MODULE},
        "pyproject.toml: end of file: invalid TOML: Unclosed array",
        id="toml-ends-too-early",
    ),
    pytest.param(
        {"pyproject.toml": DYNAMIC, "demo.py": '"""   """\n__version__ = "1.0"\n'},
        'demo.py: [project] dynamic lists "description" but the module has no docstring; start'
        " the module with a one-line docstring, or set [project] description",
        id="docstring-of-spaces",
    ),
    pytest.param(
        {
            "pyproject.toml": MINIMAL_PYPROJECT + '\n[tool.fletching.wheel]\nexclude = ["tests"]\n',
            **GOOD_MODULE,
            "tests/test_demo.py": "",
        },
        "pyproject.toml: [tool.fletching.wheel] exclude[0]: 'tests' matches no file the wheel"
        " holds (the package's files and the external data; the .dist-info folder is not"
        " subject to it); fix or remove it",
        id="wheel-exclude-matches-nothing",
    ),
    pytest.param(
        {
            "pyproject.toml": MINIMAL_PYPROJECT
            + '\n[tool.fletching.wheel]\nexclude = ["demo/*.py"]\n',
            "demo/__init__.py": "",
            "demo/core.py": "",
        },
        "pyproject.toml: [tool.fletching.wheel] exclude[0]: 'demo/*.py' excludes"
        " demo/__init__.py (the entry file of the module 'demo'), without which the installed"
        " package cannot be imported; narrow the pattern",
        id="wheel-exclude-takes-the-init-file",
    ),
    pytest.param(
        {
            "pyproject.toml": MINIMAL_PYPROJECT + '\n[tool.fletching.wheel]\nexclude = ["*.py"]\n',
            **GOOD_MODULE,
        },
        "pyproject.toml: [tool.fletching.wheel] exclude[0]: '*.py' excludes demo.py (the entry"
        " file of the module 'demo'), without which the installed package cannot be imported;"
        " narrow the pattern",
        id="wheel-exclude-takes-the-single-file-module",
    ),
    pytest.param(
        {
            "pyproject.toml": MINIMAL_PYPROJECT
            + '\n[tool.fletching.external-data]\nscripts = "bin"\nheaders = "include"\n',
            **GOOD_MODULE,
            "bin/tool": "",
        },
        "pyproject.toml: [tool.fletching.external-data] headers: 'include' is not a folder in"
        " the project",
        id="external-headers-missing",
    ),
    pytest.param(
        {"pyproject.toml/x": "", **GOOD_MODULE},
        "pyproject.toml: cannot be read: Is a directory",
        id="pyproject-is-a-folder",
    ),
]

# Issue 18: what the specifications forbid and flit_core 4.2 refuses too, or what would
# make a wheel no installer installs.
CASES += [
    pytest.param(
        {
            "pyproject.toml": MINIMAL_PYPROJECT + 'readme = {file = "README.rst"}\n',
            "README.rst": "Demo\n====\n",
            **GOOD_MODULE,
        },
        "pyproject.toml: [project] readme.content-type: is required in a readme table (pyproject"
        ' specification); write readme = {file = "README.rst", content-type = "text/x-rst"}, or'
        ' readme = "README.rst" to take the type from the extension',
        id="readme-table-file-without-content-type",
    ),
    pytest.param(
        {
            "pyproject.toml": MINIMAL_PYPROJECT + "readme = {file = 'docs/intro'}\n",
            "docs/intro": "Demo\n",
            **GOOD_MODULE,
        },
        "pyproject.toml: [project] readme.content-type: is required in a readme table (pyproject"
        ' specification); write readme = {file = "docs/intro", content-type = "text/plain"}, or'
        ' "text/markdown" or "text/x-rst"',
        id="readme-table-file-without-content-type-or-extension",
    ),
    pytest.param(
        {
            "pyproject.toml": MINIMAL_PYPROJECT + 'license-files = ["licenses"]\n',
            "licenses/MIT.txt": "MIT",
            **GOOD_MODULE,
        },
        "pyproject.toml: [project] license-files[0]: 'licenses' is a folder; each entry is a glob"
        ' that must match files (PEP 639): write "licenses/*" (or "licenses/**/*" to take its'
        " subfolders too)",
        id="license-files-names-a-folder",
    ),
    pytest.param(
        {
            "pyproject.toml": MINIMAL_PYPROJECT + '[project.scripts]\n"../evil" = "demo:main"\n',
            **GOOD_MODULE,
        },
        "pyproject.toml: [project] scripts.\"../evil\": '../evil' is not a file name, which a"
        " script's name must be (installers make a file of it in the scripts folder): write it"
        " without '/' or '\\'",
        id="script-name-with-a-path",
    ),
    pytest.param(
        {
            "pyproject.toml": MINIMAL_PYPROJECT + '[project.gui-scripts]\n".." = "demo:main"\n',
            **GOOD_MODULE,
        },
        "pyproject.toml: [project] gui-scripts.\"..\": '..' is not a file name, which a"
        " script's name must be (installers make a file of it in the scripts folder): write"
        " another name",
        id="gui-script-name-dot-dot",
    ),
    pytest.param(
        {
            "pyproject.toml": MINIMAL_PYPROJECT + '[project.scripts]\n"C:evil" = "demo:main"\n',
            **GOOD_MODULE,
        },
        "pyproject.toml: [project] scripts.\"C:evil\": 'C:evil' is not a file name, which a"
        " script's name must be (installers make a file of it in the scripts folder): write it"
        " without the drive 'C:'",
        id="script-name-with-a-drive",
    ),
    pytest.param(
        {
            "pyproject.toml": MINIMAL_PYPROJECT
            + 'dependencies = ["attrs"]\ndynamic = ["dependencies"]\n',
            **GOOD_MODULE,
        },
        "pyproject.toml: [project] dynamic[0]: 'dependencies' is both given in [project] and"
        " listed in dynamic: PEP 808 lets a backend add entries to a list or table listed so,"
        " but fletching adds none to 'dependencies'; remove it from dynamic",
        id="pep-808-list-static-and-dynamic",
    ),
    pytest.param(
        {"pyproject.toml": MINIMAL_PYPROJECT + 'dynamic = ["description"]\n', **GOOD_MODULE},
        "pyproject.toml: [project] dynamic[0]: 'description' is both given in [project] and"
        " listed in dynamic, which the pyproject specification forbids for a string or a fixed"
        " table (PEP 808 allows it for lists and tables a backend adds to); remove one of the two",
        id="pep-808-string-static-and-dynamic",
    ),
    pytest.param(
        {
            "pyproject.toml": MINIMAL_PYPROJECT.replace('"demo"', '"a.demo"')
            + 'import-names = ["a.demo"]\nimport-namespaces = ["a", "a.demo; private"]\n',
            "a/demo.py": "",
        },
        "pyproject.toml: [project] import-namespaces[1]: 'a.demo' is in both import-names and"
        " import-namespaces, which PEP 794 forbids (a name is either provided by this project"
        " alone or shared with others); keep it in one of the two",
        id="import-name-in-both-lists",
    ),
    pytest.param(
        {
            "pyproject.toml": MINIMAL_PYPROJECT.replace('"demo"', '"acme"')
            + 'dynamic = ["import-names"]\nimport-namespaces = ["acme"]\n',
            "acme/sub.py": "",
        },
        "pyproject.toml: [project] dynamic: 'acme' is listed in import-namespaces, so it cannot"
        " also be filled into import-names (PEP 794 forbids a name in both lists); list the"
        ' modules inside it in import-names, or remove "import-names" from dynamic',
        id="own-namespace-filled-into-import-names",
    ),
    pytest.param(
        {
            "pyproject.toml": MINIMAL_PYPROJECT + 'license-files = ["LICEN{CS}E", "COPYING[!~]"]\n',
            "LICENSE": "MIT",
            **GOOD_MODULE,
        },
        "2 problems in the project configuration:\n"
        "  - pyproject.toml: [project] license-files[0]: 'LICEN{CS}E' holds '{', which a glob"
        " pattern may not (PyPA glob patterns: letters, digits, spaces, '_', '-', '.', '/', '*',"
        " '?' and [...] of those; flit_core refuses it too)\n"
        "  - pyproject.toml: [project] license-files[1]: 'COPYING[!~]' holds '!', which a glob"
        " pattern may not (PyPA glob patterns: letters, digits, spaces, '_', '-', '.', '/', '*',"
        " '?' and [...] of those; flit_core refuses it too)",
        id="license-files-invalid-glob-characters",
    ),
    pytest.param(
        {
            "pyproject.toml": MINIMAL_PYPROJECT + 'license-files = ["lic*"]\n',
            "licenses/MIT.txt": "MIT",
            **GOOD_MODULE,
        },
        "pyproject.toml: [project] license-files[0]: 'lic*' matches no file, only the folder"
        " 'licenses'; each entry is a glob that must match files (PEP 639): write"
        ' "lic*/*" (or "lic*/**/*" to take its subfolders too)',
        id="license-files-glob-matches-only-a-folder",
    ),
]


@pytest.mark.parametrize(("files", "message"), CASES)
def test_bad_project_gets_an_exact_message(
    tmp_path: Path, out: Path, files: dict[str, str | bytes], message: str
) -> None:
    project = write_project(tmp_path / "p", files)
    for build in (build_wheel, build_sdist):
        with pytest.raises(FletchingError) as info:
            build(project, out)
        assert str(info.value) == message
    assert list(out.iterdir()) == []


def test_problems_in_several_files_are_reported_together(tmp_path: Path, out: Path) -> None:
    project = write_project(
        tmp_path / "p",
        {
            "pyproject.toml": MINIMAL_PYPROJECT.replace('"demo"', '"absent"')
            + 'readme = "README.md"\nlicense-files = ["COPYING"]\n'
            + '\n[tool.flit.external-data]\ndirectory = "share"\n',
        },
    )
    with pytest.raises(ConfigErrors) as info:
        build_wheel(project, out)
    assert [e.key for e in info.value.errors] == [
        "[project] name",
        "[project] readme",
        "[project] license-files[0]",
        "[tool.flit.external-data] directory",
    ]
    assert str(info.value).startswith("4 problems in the project configuration:\n  - ")


@pytest.mark.skipif(os.name != "posix", reason="needs bytes file names")
def test_file_name_that_is_not_utf8_is_refused(tmp_path: Path, out: Path) -> None:
    project = write_project(tmp_path / "p", {"pyproject.toml": MINIMAL_PYPROJECT})
    os.makedirs(os.path.join(bytes(project), b"demo"))
    for name in (b"__init__.py", b"caf\xe9.txt"):
        with open(os.path.join(bytes(project), b"demo", name), "wb") as f:
            f.write(b"")
    with pytest.raises(FletchingError, match="the name is not valid UTF-8"):
        build_wheel(project, out)


def test_output_path_that_is_a_file(project: Path, tmp_path: Path) -> None:
    target = tmp_path / "taken"
    target.write_text("")
    with pytest.raises(FletchingError, match=r"taken: cannot create the output folder"):
        build_wheel(project, target)
