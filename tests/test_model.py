"""The pure model: pyproject mappings in, validated values or exact messages out."""

from __future__ import annotations

import sys
from typing import Any

import pytest

from fletching._vendor.packaging.requirements import Requirement
from fletching._vendoring import library_version
from fletching.errors import ConfigError, ConfigErrors
from fletching.metadata import Config, Person, Readme
from fletching.model import complete, parse_pyproject

if sys.version_info >= (3, 11):
    import tomllib
else:
    import tomli as tomllib

TROVE = library_version("trove-classifiers")
P = "pyproject.toml: [project]"
BASE = """
[project]
name = "demo"
version = "1.0"
"""


def parse(extra: str, base: str = BASE) -> Config:
    return parse_pyproject(tomllib.loads(base + extra))


def errors_of(extra: str, base: str = BASE) -> list[str]:
    with pytest.raises(ConfigError) as info:
        parse(extra, base)
    exc = info.value
    return [str(e) for e in exc.errors] if isinstance(exc, ConfigErrors) else [str(exc)]


def test_minimal_project() -> None:
    meta = parse("").metadata
    assert meta.name == "demo"
    assert meta.version == "1.0"
    assert meta.dynamic == frozenset()
    assert meta.file_name == "demo"


def test_every_static_key_is_read() -> None:
    config = parse(
        """
description = "Short."
readme = "README.md"
requires-python = ">=3.9"
license = "mit OR apache-2.0"
license-files = ["LICENSES/*"]
authors = [{name = "A"}, {email = "b@example.org"}, {name = "C D", email = "c@example.org"}]
maintainers = [{name = "M"}]
keywords = ["one", "two words"]
classifiers = ["Programming Language :: Python :: 3", "Private :: Do Not Upload"]
dependencies = ["requests>=2; python_version < '3.13'"]
import-names = ["demo"]
import-namespaces = []

[project.urls]
Home = "https://example.org"

[project.optional-dependencies]
Test_Suite = ["pytest"]

[project.scripts]
demo = "demo:main"

[project.gui-scripts]
demo-gui = "demo.gui:run"

[project.entry-points."demo.plugins"]
b = "demo.plugins:b"
a = "demo.plugins:a"
"""
    )
    meta = config.metadata
    assert meta.description == "Short."
    assert meta.readme == Readme(content_type="text/markdown", file="README.md")
    assert str(meta.requires_python) == ">=3.9"
    assert meta.license_expression == "MIT OR Apache-2.0"
    assert config.license_file_patterns == (("[project] license-files[0]", "LICENSES/*"),)
    assert meta.authors == (
        Person("A", None),
        Person(None, "b@example.org"),
        Person("C D", "c@example.org"),
    )
    assert meta.maintainers == (Person("M", None),)
    assert meta.keywords == ("one", "two words")
    assert meta.classifiers[1] == "Private :: Do Not Upload"
    assert meta.dependencies == (Requirement("requests>=2; python_version < '3.13'"),)
    assert meta.urls == (("Home", "https://example.org"),)
    assert meta.optional_dependencies == (("test-suite", (Requirement("pytest"),)),)
    assert meta.entry_points == (
        ("console_scripts", (("demo", "demo:main"),)),
        ("demo.plugins", (("a", "demo.plugins:a"), ("b", "demo.plugins:b"))),
        ("gui_scripts", (("demo-gui", "demo.gui:run"),)),
    )
    assert meta.import_names == ("demo",)
    assert meta.import_namespaces == ()


def test_model_is_immutable() -> None:
    meta = parse("").metadata
    with pytest.raises(AttributeError):
        meta.name = "other"  # type: ignore[misc]


def test_version_is_normalised() -> None:
    assert str(parse("", '[project]\nname = "d"\nversion = "1.0.0-RC1"\n').metadata.version) == (
        "1.0.0rc1"
    )


def test_readme_extension_is_case_insensitive() -> None:
    readme = parse('readme = "README.RST"').metadata.readme
    assert readme is not None
    assert readme.content_type == "text/x-rst"


def test_unknown_readme_extension_warns_and_records_no_type() -> None:
    config = parse('readme = "README"')
    assert config.metadata.readme == Readme(content_type=None, file="README")
    assert len(config.warnings) == 1
    assert "cannot tell the content type of 'README'" in config.warnings[0]


def test_legacy_license_table_warns() -> None:
    config = parse('license = {file = "./COPYING"}')
    assert config.legacy_license_file == "COPYING"
    assert "deprecated (PEP 639)" in config.warnings[0]


# What flit_core 4.2 accepts and the standards do not force fletching to refuse:
# kept, with a warning naming the file, the key and the modern spelling.
WARNINGS = [
    pytest.param(
        'dynamic = ["version", "version"]',
        f"{P} dynamic[1]: 'version' is listed twice; list each key once, e.g."
        ' dynamic = ["version"]',
        id="dynamic-twice",
    ),
    pytest.param(
        "authors = [{}]",
        f"{P} authors[0]: the table has neither name nor email, so it is left out; remove it,"
        ' or write {name = "Ann", email = "ann@example.org"}',
        id="author-empty-table",
    ),
    pytest.param(
        'maintainers = [{email = "Ann <ann@example.org>"}]',
        f"{P} maintainers[0].email: 'Ann <ann@example.org>' is not one email address; give each"
        ' person a table of their own, e.g. maintainers = [{name = "Ann", email ='
        ' "ann@example.org"}]',
        id="email-with-display-name",
    ),
    pytest.param(
        'authors = [{email = "a@example.org, b@example.org"}]',
        f"{P} authors[0].email: 'a@example.org, b@example.org' is not one email address; give"
        ' each person a table of their own, e.g. authors = [{name = "Ann", email ='
        ' "ann@example.org"}]',
        id="email-two-addresses",
    ),
    pytest.param(
        'keywords = ["a,b", "c"]',
        f"{P} keywords[0]: 'a,b' contains a comma, which separates keywords in core metadata,"
        ' so it is recorded as 2 keywords; write keywords = ["a", "b"]',
        id="keyword-comma",
    ),
    pytest.param(
        'urls = {Contact = "mailto:ann@example.org"}',
        f"{P} urls.Contact: 'mailto:ann@example.org' is not an http(s) URL, and PyPI refuses"
        " other schemes in Project-URL; write an https:// URL, e.g. Contact ="
        ' "https://example.org/contact"',
        id="url-mailto",
    ),
    pytest.param(
        'readme = "docs/../README.md"',
        f"{P} readme: 'docs/../README.md' contains '..'; it is read as 'README.md': write"
        ' "README.md" instead',
        id="readme-dotdot-inside",
    ),
    pytest.param(
        '[tool.flit.sdist]\ninclude = ["docs/../notes.txt"]',
        "pyproject.toml: [tool.flit.sdist] include[0]: 'docs/../notes.txt' contains '..'; it is"
        " read as 'notes.txt': write \"notes.txt\" instead",
        id="include-dotdot-inside",
    ),
    pytest.param(
        "[tool.flit.x-notes]\nauthor = 'me'",
        "pyproject.toml: [tool.flit] x-notes: fletching does not read it (flit_core ignores"
        " [tool.flit.x-*] too); keep such settings in a table of your own tool, e.g."
        " [tool.notes]",
        id="tool-flit-x-table",
    ),
    pytest.param(
        "[tool.flit.module]\nnmae = 'demo'",
        "pyproject.toml: [tool.flit.module]: unknown key 'nmae' (did you mean 'name'?) is"
        " ignored, as flit_core ignores it; the keys allowed are: name",
        id="module-unknown-key",
    ),
    pytest.param(
        "[tool.flit.external-data]\ndirectory = 'data'\ndir = 'x'",
        "pyproject.toml: [tool.flit.external-data]: unknown key 'dir' (did you mean"
        " 'directory'?) is ignored, as flit_core ignores it; the keys allowed are: directory",
        id="external-data-unknown-key",
    ),
    pytest.param(
        '[tool.flit.module]\nname = "not-valid.x"',
        "pyproject.toml: [tool.flit.module] name: 'not-valid.x' is not an importable module"
        " name ('import not-valid.x' cannot work); it is packed as it is, with no Import-Name:"
        ' rename it, e.g. name = "not_valid.x"',
        id="module-name-not-an-identifier",
    ),
    pytest.param(
        "[tool.flit.external-data]\ndirectory = 'data'\nscripts = 'bin'",
        "pyproject.toml: [tool.flit.external-data]: scripts is ignored, as flit_core ignores"
        " it; only [tool.fletching.external-data] installs scripts: rename the [tool.flit.*]"
        " tables to [tool.fletching.*] (they take the same keys)",
        id="external-scripts-in-tool-flit",
    ),
    pytest.param(
        "[tool.flit.external-data]",
        "pyproject.toml: [tool.flit.external-data]: the table has no directory key, so no"
        ' external data is packed; write directory = "data", or remove the table',
        id="external-data-no-directory",
    ),
]


NO_VERSION = """
[project]
name = "demo"
"""


@pytest.mark.parametrize(("snippet", "warning"), WARNINGS)
def test_what_flit_core_accepts_is_kept_with_a_warning(snippet: str, warning: str) -> None:
    base = NO_VERSION if "dynamic" in snippet else BASE
    assert parse(snippet, base).warnings == (warning,)


@pytest.mark.parametrize("name", ["módulo", "数据", "pkg.ünter"])
def test_a_non_ascii_identifier_is_an_import_name(name: str) -> None:
    """PEP 3131 identifiers import fine, and PEP 794 asks only for identifiers."""
    around = 'import-namespaces = ["pkg"]\n' if "." in name else ""
    config = parse(f'import-names = ["{name}"]\n{around}[tool.flit.module]\nname = "{name}"')
    assert config.tool.module == name
    assert config.metadata.import_names == (name,)
    assert config.warnings == ()


@pytest.mark.parametrize("name", ["class", "pkg.def", "1abc", "a-b"])
def test_a_keyword_or_non_identifier_is_not_an_import_name(name: str) -> None:
    assert errors_of(f'import-names = ["{name}"]') == [
        f"{P} import-names[0]: {name!r} is not an import name, e.g. 'pkg', 'pkg.sub' or"
        " 'pkg; private'"
    ]


def test_a_warned_person_or_keyword_is_written_as_flit_core_writes_it() -> None:
    meta = parse(
        'keywords = ["a,b"]\nauthors = [{}, {email = "Ann <ann@example.org>"}, {name = "Bob"}]'
    ).metadata
    assert meta.keywords == ("a,b",)
    assert meta.authors == (Person(None, "Ann <ann@example.org>"), Person("Bob", None))


@pytest.mark.parametrize(
    ("snippet", "message"),
    [
        pytest.param(
            'authors = [{name = "Ann", email = "Ann <ann@example.org>"}]',
            f"{P} authors[0].email: 'Ann <ann@example.org>' is not a valid email address",
            id="mailbox-besides-a-name",
        ),
        pytest.param(
            "[tool.flit.external-data]\ndirectory = './'",
            "pyproject.toml: [tool.flit.external-data] directory: '.' is the whole project,"
            " which would install every file of it under the environment's prefix; name a"
            ' folder, e.g. directory = "data"',
            id="external-data-whole-project",
        ),
        pytest.param(
            'license-files = ["docs/../LICENSE"]',
            f"{P} license-files[0]: 'docs/../LICENSE' must be a relative path inside the"
            " project, without '..'",
            id="license-files-dotdot-pep-639",
        ),
        pytest.param(
            'urls = {Home = "example.org/x"}',
            f"{P} urls.Home: 'example.org/x' is not a URL, e.g. 'https://example.org/project'",
            id="url-without-scheme",
        ),
    ],
)
def test_what_stays_refused(snippet: str, message: str) -> None:
    assert errors_of(snippet) == [message]


@pytest.mark.parametrize("role", ["authors", "maintainers"])
def test_a_name_with_a_comma_is_kept_with_a_warning(role: str) -> None:
    """flit_core writes it (quoted before an email) and the index takes it."""
    config = parse(f'{role} = [{{name = "Ann, Bob", email = "team@example.org"}}]')
    assert getattr(config.metadata, role) == (Person("Ann, Bob", "team@example.org"),)
    assert config.warnings == (
        f"pyproject.toml: [project] {role}[0].name: 'Ann, Bob' contains a comma, which the"
        " pyproject specification forbids; give each person a table of their own, e.g."
        f' {role} = [{{name = "Ann"}}, {{name = "Bob"}}]',
    )


@pytest.mark.parametrize(
    ("table", "ref"),
    [
        ('[project.entry-points."babel.extractors"]', "pkg.mod:func [extra]"),
        ('[project.entry-points."babel.extractors"]', "pkg.mod:func[one, two-2]"),
        ("[project.scripts]", "pkg.cli:main [cli]"),
    ],
)
def test_an_object_reference_with_extras_is_kept_with_a_warning(table: str, ref: str) -> None:
    """Deprecated by the entry points specification, which still has consumers parse it."""
    config = parse(f'{table}\nname = "{ref}"')
    points = [p for _, group in config.metadata.entry_points for p in group]
    assert points == [("name", ref)]
    (warning,) = config.warnings
    assert "extras in an object reference are deprecated" in warning
    assert f"write {ref.split('[')[0].strip()!r} and require" in warning


def test_legacy_license_text_is_kept() -> None:
    assert parse('license = {text = "Do as you like"}').metadata.license_text == "Do as you like"


def test_dynamic_version_and_description_are_completed() -> None:
    config = parse("", '[project]\nname = "d"\ndynamic = ["version", "description"]\n')
    assert config.needs_module_values
    meta = complete(config, version="2.0.post1", description="From the docstring.")
    assert meta.version == "2.0.post1"
    assert meta.description == "From the docstring."


def test_dynamic_import_names_come_from_the_module() -> None:
    config = parse(
        "",
        '[project]\nname = "a.b"\nversion = "1"\ndynamic = ["import-names", "import-namespaces"]\n',
    )
    meta = complete(config, module_names=("a.b",))
    assert meta.import_names == ("a.b",)
    assert meta.import_namespaces == ("a",)


def test_invalid_dynamic_version_names_the_module_file() -> None:
    config = parse("", '[project]\nname = "d"\ndynamic = ["version"]\n')
    with pytest.raises(ConfigError) as info:
        complete(config, version="one", source="d/__init__.py")
    assert str(info.value) == (
        "d/__init__.py: __version__: __version__ = 'one' is not a valid version (PEP 440)"
    )


def test_tool_fletching_and_tool_flit_take_the_same_keys() -> None:
    for table in ("flit", "fletching"):
        tool = parse(
            f"""
[tool.{table}.module]
name = "demo_mod"
[tool.{table}.sdist]
include = ["docs/"]
exclude = ["docs/_build"]
[tool.{table}.external-data]
directory = "data/"
"""
        ).tool
        assert tool.table == f"tool.{table}"
        assert tool.module == "demo_mod"
        assert tool.include == ((f"[tool.{table}.sdist] include[0]", "docs/"),)
        assert tool.exclude == ((f"[tool.{table}.sdist] exclude[0]", "docs/_build"),)
        assert tool.external_data == "data"


def test_all_errors_are_reported_together() -> None:
    messages = errors_of('dependencies = ["requests >="]\nkeywords = "a"\nfoo = 1')
    assert len(messages) == 3


def test_legacy_flit_metadata_gets_the_equivalent_project_table() -> None:
    data: dict[str, Any] = {
        "tool": {
            "flit": {
                "metadata": {
                    "module": "foo",
                    "dist-name": "foo-dist",
                    "author": "Ann",
                    "author-email": "ann@example.org",
                    "home-page": "https://example.org",
                    "requires": ["requests"],
                    "requires-extra": {"test": ["pytest"]},
                    "description-file": "README.md",
                    "keywords": "a, b c",
                },
                "scripts": {"foo": "foo:main"},
            }
        }
    }
    with pytest.raises(ConfigError) as info:
        parse_pyproject(data)
    message = str(info.value)
    assert "there is no [project] table" in message
    for line in (
        '    name = "foo-dist"',
        '    dynamic = ["version", "description"]',
        '    readme = "README.md"',
        '    authors = [{ name = "Ann", email = "ann@example.org" }]',
        '    keywords = ["a", "b", "c"]',
        '    dependencies = ["requests"]',
        '    test = ["pytest"]',
        '    Homepage = "https://example.org"',
        '    foo = "foo:main"',
        "    [tool.flit.module]",
        '    name = "foo"',
    ):
        assert line in message.splitlines(), line
    # The snippet is valid TOML that fletching accepts (with a version filled in).
    snippet = "\n".join(line[4:] for line in message.split("equivalent is:\n\n")[1].splitlines())
    assert tomllib.loads(snippet)["project"]["name"] == "foo-dist"


ERROR_CASES = [
    pytest.param(
        "",
        '[project]\nversion = "1"\n',
        f'{P} name: is required: give the distribution\'s name, e.g. name = "my-project"',
        id="missing-name",
    ),
    pytest.param(
        "",
        '[project]\nname = "-bad"\nversion = "1"\n',
        f"{P} name: '-bad' is not a valid distribution name: use ASCII letters, digits, '.', '-'"
        " and '_', starting and ending with a letter or digit",
        id="invalid-name",
    ),
    pytest.param(
        "",
        '[project]\nname = "d"\n',
        f'{P} version: is required: set version = "1.0" or add "version" to [project] dynamic'
        " to read __version__ from the module",
        id="missing-version",
    ),
    pytest.param(
        "",
        '[project]\nname = "d"\nversion = "1.0foo"\n',
        f"{P} version: '1.0foo' is not a valid version (PEP 440), e.g. '1.0', '2.1.0rc1',"
        " '0.3.dev2'",
        id="invalid-version",
    ),
    pytest.param(
        'dynamic = ["version"]',
        BASE,
        f"{P} dynamic[0]: 'version' is both given in [project] and listed in dynamic, which the"
        " pyproject specification forbids for a string or a fixed table (PEP 808 allows it for"
        " lists and tables a backend adds to); remove"
        " one of the two",
        id="static-and-dynamic",
    ),
    pytest.param(
        'dynamic = ["dependencies"]',
        BASE,
        f"{P} dynamic[0]: fletching cannot fill 'dependencies' dynamically (it fills version,"
        " description, import-names, import-namespaces); write [project] dependencies"
        " statically",
        id="unfillable-dynamic",
    ),
    pytest.param(
        'dynamic = ["verison"]',
        BASE,
        f"{P} dynamic[0]: 'verison' is not a [project] key (did you mean 'version'?)",
        id="dynamic-typo",
    ),
    pytest.param(
        'requires_python = ">=3.9"',
        BASE,
        f"{P}: unknown key 'requires_python' (did you mean 'requires-python'?); the keys allowed"
        " are: name, version, description, readme, requires-python, license, license-files,"
        " authors, maintainers, keywords, classifiers, urls, scripts, gui-scripts, entry-points,"
        " dependencies, optional-dependencies, dynamic, import-names, import-namespaces",
        id="unknown-key",
    ),
    pytest.param(
        'dependencies = "requests"',
        BASE,
        f"{P} dependencies: expected an array, got a string",
        id="string-for-list",
    ),
    pytest.param(
        "description = 3",
        BASE,
        f"{P} description: expected a string, got an integer",
        id="integer-for-string",
    ),
    pytest.param(
        'description = "two\\nlines"',
        BASE,
        f"{P} description: 'two\\nlines' contains the control character '\\n'; it must be a"
        " single line",
        id="newline-in-description",
    ),
    pytest.param(
        'dependencies = ["ok", "requests >="]',
        BASE,
        # packaging's own explanation follows; its wording changes between releases.
        f"{P} dependencies[1]: 'requests >=' is not a valid requirement (PEP 508): ",
        id="invalid-requirement",
    ),
    pytest.param(
        'requires-python = "3.9+"',
        BASE,
        f"{P} requires-python: '3.9+' is not a valid version specifier, e.g. '>=3.9': ",
        id="invalid-specifier",
    ),
    pytest.param(
        '[project.optional-dependencies]\n"-bad" = []',
        BASE,
        f"{P} optional-dependencies.-bad: '-bad' is not a valid extra name (letters,"
        " digits, '.', '-', '_')",
        id="invalid-extra",
    ),
    pytest.param(
        "[project.optional-dependencies]\nA_b = []\na-B = []",
        BASE,
        f"{P} optional-dependencies.a-B: 'a-B' is the same extra as another one once"
        " normalised ('a-b')",
        id="clashing-extras",
    ),
    pytest.param(
        'classifiers = ["License :: OSI Approved :: MIT Licence"]',
        BASE,
        f"{P} classifiers[0]: 'License :: OSI Approved :: MIT Licence' is not a known trove"
        " classifier (did you mean 'License :: OSI Approved :: MIT License'?); fletching has the"
        f" list of trove-classifiers {TROVE}: for a newer classifier, add"
        ' "trove-classifiers>=<the release that has it>" to [build-system] requires, or upgrade'
        " fletching",
        id="classifier-typo",
    ),
    pytest.param(
        'license = "MIT"\nclassifiers = ["License :: OSI Approved :: MIT License"]',
        BASE,
        f"{P} classifiers[0]: the license classifier 'License :: OSI Approved :: MIT License'"
        " conflicts with [project] license = 'MIT' (PEP 639); remove the classifier",
        id="license-classifier-with-expression",
    ),
    pytest.param(
        'license = "MIT OR Apache2"',
        BASE,
        f"{P} license: 'MIT OR Apache2' is not a valid SPDX license expression (did you mean"
        " 'Apache-2.0'?): ",
        id="spdx-typo",
    ),
    pytest.param(
        'license = {file = "LICENSE", text = "x"}',
        BASE,
        f"{P} license: give exactly one of 'file' or 'text', or better an SPDX expression"
        " (PEP 639)",
        id="license-table-both",
    ),
    pytest.param(
        'license = {file = "COPYING"}\nlicense-files = ["LICENSE"]',
        BASE,
        f"{P} license: a license table cannot be combined with [project] license-files"
        ' (PEP 639); write license = "<SPDX expression>" instead',
        id="license-table-with-files",
    ),
    pytest.param(
        'license-files = ["../LICENSE"]',
        BASE,
        f"{P} license-files[0]: '../LICENSE' must be a relative path inside the project,"
        " without '..'",
        id="license-files-parent",
    ),
    pytest.param(
        'license-files = ["/etc/LICENSE"]',
        BASE,
        f"{P} license-files[0]: '/etc/LICENSE' must be a relative path inside the project,"
        " without '..'",
        id="license-files-absolute",
    ),
    pytest.param(
        "readme = 1",
        BASE,
        f"{P} readme: expected a table, got an integer",
        id="readme-wrong-type",
    ),
    pytest.param(
        'readme = {text = "hi"}',
        BASE,
        f"{P} readme.content-type: is required with 'text', e.g. content-type = \"text/markdown\"",
        id="readme-text-without-type",
    ),
    pytest.param(
        'readme = {file = "R.html", content-type = "text/html"}',
        BASE,
        f"{P} readme.content-type: 'text/html' is not a readme type PyPI can show; use one of"
        " text/markdown, text/x-rst, text/plain",
        id="readme-unknown-type",
    ),
    pytest.param(
        'readme = {file = "README.md", charset = "utf-8"}',
        BASE,
        f"{P} readme: unknown key 'charset'; the keys allowed are: file, text, content-type",
        id="readme-unknown-key",
    ),
    pytest.param(
        'authors = [{email = "not an email"}]',
        BASE,
        f"{P} authors[0].email: 'not an email' is not a valid email address",
        id="author-bad-email",
    ),
    pytest.param(
        'maintainers = ["Ann"]',
        BASE,
        f"{P} maintainers[0]: expected a table, got a string",
        id="maintainer-string",
    ),
    pytest.param(
        'authors = [{name = "A", url = "x"}]',
        BASE,
        f"{P} authors[0]: unknown key 'url'; the keys allowed are: name, email",
        id="author-unknown-key",
    ),
    pytest.param(
        '[project.urls]\n"A label that is far too long to be shown" = "https://example.org"',
        BASE,
        f'{P} urls."A label that is far too long to be shown": the label \'A label that is far'
        " too long to be shown' must be 1 to 32 characters without commas",
        id="url-label-too-long",
    ),
    pytest.param(
        '[project.urls]\nHome = "example.org"',
        BASE,
        f"{P} urls.Home: 'example.org' is not a URL, e.g. 'https://example.org/project'",
        id="url-without-scheme",
    ),
    pytest.param(
        '[project.scripts]\ndemo = "demo main"',
        BASE,
        f"{P} scripts.demo: 'demo main' is not an object reference; write"
        " 'package.module:function'",
        id="script-bad-reference",
    ),
    pytest.param(
        '[project.entry-points.console_scripts]\ndemo = "demo:main"',
        BASE,
        f"{P} entry-points.console_scripts: write these in [project.scripts] instead",
        id="console-scripts-in-entry-points",
    ),
    pytest.param(
        "[project.entry-points]\ngroup = 1",
        BASE,
        f"{P} entry-points.group: expected a table, got an integer",
        id="entry-point-group-not-table",
    ),
    pytest.param(
        'import-names = ["1abc"]',
        BASE,
        f"{P} import-names[0]: '1abc' is not an import name, e.g. 'pkg', 'pkg.sub' or"
        " 'pkg; private'",
        id="invalid-import-name",
    ),
    pytest.param(
        'import-names = ["abc; public"]',
        BASE,
        f"{P} import-names[0]: 'abc; public' is not an import name, e.g. 'pkg', 'pkg.sub' or"
        " 'pkg; private'",
        id="invalid-import-name-annotation",
    ),
    pytest.param(
        '[tool.flit]\nmodule = {name = "x"}\n[tool.fletching]\nmodule = {name = "x"}',
        BASE,
        "pyproject.toml: [tool.fletching] module: both [tool.flit] and [tool.fletching] are"
        " present; keep one of them (they take the same keys); beside [tool.flit],"
        " [tool.fletching] may hold only fletching's own keys (sbom-files, editable, version,"
        " wheel)",
        id="both-tool-tables",
    ),
    pytest.param(
        "[tool.flit.sdists]\ninclude = []",
        BASE,
        "pyproject.toml: [tool.flit]: unknown key 'sdists' (did you mean 'sdist'?); the keys"
        " allowed are: module, sdist, external-data",
        id="unknown-tool-key",
    ),
    pytest.param(
        '[tool.flit.sdist]\ninclude = ["/etc/passwd"]',
        BASE,
        "pyproject.toml: [tool.flit.sdist] include[0]: '/etc/passwd' must be a relative path"
        " inside the project, without '..'",
        id="absolute-include",
    ),
    pytest.param(
        '[tool.flit.sdist]\nexclude = ["docs/../../x"]',
        BASE,
        "pyproject.toml: [tool.flit.sdist] exclude[0]: 'docs/../../x' must be a relative path"
        " inside the project, without '..'",
        id="parent-exclude",
    ),
    pytest.param(
        '[tool.flit.sdist]\ninclude = "docs"',
        BASE,
        "pyproject.toml: [tool.flit.sdist] include: expected an array, got a string",
        id="include-string",
    ),
    pytest.param(
        '[tool.flit.module]\nname = "not/valid"',
        BASE,
        "pyproject.toml: [tool.flit.module] name: 'not/valid' is not an importable module name,"
        " and not a folder or file name every system can store (an empty part, or one of the"
        ' characters / \\ : * ? " < > | or a control character); rename the module',
        id="invalid-module-name",
    ),
    pytest.param(
        'readme = "R\\u0000.md"',
        BASE,
        f"{P} readme: 'R\\x00.md' contains a control character; no file can be named so",
        id="readme-with-nul",
    ),
    pytest.param(
        '[tool.flit.wheel]\nexclude = ["tests"]',
        BASE,
        "pyproject.toml: [tool.flit.wheel]: flit_core has no such table; wheel-only excludes"
        " are fletching's own setting: write [tool.fletching.wheel] exclude = [...], which may"
        " sit beside [tool.flit]",
        id="tool-flit-wheel",
    ),
    pytest.param(
        '[tool.fletching.wheel]\nexlude = ["tests"]',
        BASE,
        "pyproject.toml: [tool.fletching.wheel]: unknown key 'exlude' (did you mean"
        " 'exclude'?); the keys allowed are: exclude",
        id="tool-fletching-wheel-unknown-key",
    ),
    pytest.param(
        '[tool.fletching.wheel]\nexclude = ["/abs/tests"]',
        BASE,
        "pyproject.toml: [tool.fletching.wheel] exclude[0]: '/abs/tests' must be a relative"
        " path inside the project, without '..'",
        id="tool-fletching-wheel-absolute",
    ),
    pytest.param(
        '[tool.fletching.external-data]\ndirectory = "share"\nscripts = "share/bin"',
        BASE,
        "pyproject.toml: [tool.fletching.external-data] scripts: 'share/bin' overlaps 'share'"
        " (directory), so its files would be installed twice; name separate folders",
        id="external-scripts-inside-data",
    ),
    pytest.param(
        '[tool.fletching.external-data]\nscripts = "bin"\nheaders = "./bin/"',
        BASE,
        "pyproject.toml: [tool.fletching.external-data] headers: 'bin' overlaps 'bin'"
        " (scripts), so its files would be installed twice; name separate folders",
        id="external-headers-same-as-scripts",
    ),
    pytest.param(
        '[tool.fletching.external-data]\nscripts = "."',
        BASE,
        "pyproject.toml: [tool.fletching.external-data] scripts: '.' is the whole project;"
        ' name a folder, e.g. scripts = "bin"',
        id="external-scripts-whole-project",
    ),
    pytest.param(
        '[tool.fletching.external-data]\nheaders = "../include"',
        BASE,
        "pyproject.toml: [tool.fletching.external-data] headers: '../include' must be a"
        " relative path inside the project, without '..'",
        id="external-headers-outside",
    ),
    pytest.param(
        "[tool.fletching.external-data]\nscripts = 1",
        BASE,
        "pyproject.toml: [tool.fletching.external-data] scripts: expected a string, got an integer",
        id="external-scripts-not-a-string",
    ),
    pytest.param(
        "[tool]\nfletching = false",
        BASE,
        "pyproject.toml: [tool.fletching]: expected a table, got a boolean",
        id="tool-fletching-not-a-table",
    ),
    pytest.param(
        '[tool.flit.metadata]\nmodule = "d"\nurls = "https://x"\nrequires-extra = ["x"]',
        BASE,
        "pyproject.toml: [tool.flit.metadata]: the old flit metadata tables are not read; "
        "describe the project in [project] instead; the equivalent is:\n\n    [project]\n"
        '    name = "d"\n    dynamic = ["version", "description"]',
        id="legacy-table-with-odd-types",
    ),
]


@pytest.mark.parametrize(("extra", "base", "message"), ERROR_CASES)
def test_bad_input_gets_an_exact_message(extra: str, base: str, message: str) -> None:
    """The message is exact; where it ends in ': ', a library's explanation follows."""
    found = errors_of(extra, base)
    if message.endswith(": "):
        assert any(m.startswith(message) and len(m) > len(message) for m in found), found
    else:
        assert message in found


def test_project_that_is_not_a_table() -> None:
    with pytest.raises(ConfigError, match=r"\[project\]: expected a table, got a string"):
        parse_pyproject({"project": "x"})


def test_missing_project_table() -> None:
    with pytest.raises(ConfigError, match=r"there is no \[project\] table"):
        parse_pyproject({})


_MODEL_MODULES = (
    "metadata", "model", "fields", "people", "requirements", "entry_points", "licenses",
    "names", "tool_table",
)  # fmt: skip


def test_metadata_is_built_only_by_the_validating_functions() -> None:
    """Every ``Metadata(...)`` in the package is in model.py, which validates its values,
    or in partial.py, whose configs (the tool table and the module's names) are never
    rendered: only files are chosen with them."""
    import ast
    from pathlib import Path

    import fletching

    found = []
    for path in sorted(Path(fletching.__file__).parent.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "Metadata":
                found.append(path.name)
    assert set(found) == {"model.py", "partial.py"}


def test_the_model_has_no_any_in_its_public_types() -> None:
    """What mypy checks against Metadata is typed all through: no ``Any`` in the fields of
    the frozen model nor in the signatures of the public functions."""
    import importlib
    import inspect

    leaks = []
    for name in _MODEL_MODULES:
        module = importlib.import_module(f"fletching.{name}")
        for attr, value in vars(module).items():
            if attr.startswith("_") or getattr(value, "__module__", None) != module.__name__:
                continue
            if inspect.isclass(value) or inspect.isfunction(value):
                annotations = getattr(value, "__annotations__", {})
                leaks += [f"{name}.{attr}: {a}" for a in annotations.values() if "Any" in str(a)]
    assert leaks == []


@pytest.mark.parametrize(("length", "refused"), [(32, False), (33, True)])
def test_a_url_label_has_at_most_32_characters(length: int, refused: bool) -> None:
    data = {"project": {"name": "d", "version": "1", "urls": {"x" * length: "https://e.org"}}}
    if refused:
        with pytest.raises(ConfigError, match="must be 1 to 32 characters"):
            parse_pyproject(data)
    else:
        assert parse_pyproject(data).metadata.urls == (("x" * length, "https://e.org"),)
