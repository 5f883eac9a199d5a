"""Property-based tests: any valid table round-trips, any invalid one is a clean error."""

from __future__ import annotations

import string
import sys
import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version
from trove_classifiers import classifiers as KNOWN_CLASSIFIERS

from fletching.core_metadata import render_metadata
from fletching.errors import ConfigError, FletchingError
from fletching.model import complete, parse_pyproject
from helpers import build_wheel, validate_wheel, write_project

if sys.version_info >= (3, 11):
    import tomllib
else:
    import tomli as tomllib

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])

alnum = string.ascii_letters + string.digits
names = st.from_regex(r"\A[A-Za-z0-9]([A-Za-z0-9._-]{0,20}[A-Za-z0-9])?\Z")
versions = st.builds(
    lambda rel, pre, post, dev: ".".join(map(str, rel)) + pre + post + dev,
    st.lists(st.integers(0, 999), min_size=1, max_size=4),
    st.sampled_from(["", "a1", "b2", "rc3"]),
    st.sampled_from(["", ".post1"]),
    st.sampled_from(["", ".dev0"]),
)
# Printable text without line breaks or other control characters.
line_text = st.text(
    st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp"), blacklist_characters="\x85"),
    min_size=1,
    max_size=40,
).filter(lambda s: s.strip() == s and s != "")
person_names = line_text.filter(lambda s: "," not in s)
emails = st.builds(
    lambda user, host: f"{user}@{host}.org",
    st.text(alnum + "._+-", min_size=1, max_size=10).filter(lambda s: s[0] not in ".-"),
    st.text(string.ascii_lowercase, min_size=1, max_size=10),
)
people = st.lists(
    st.one_of(
        st.fixed_dictionaries({"name": person_names}),
        st.fixed_dictionaries({"email": emails}),
        st.fixed_dictionaries({"name": person_names, "email": emails}),
    ),
    max_size=3,
)
requirements = st.builds(
    lambda name, spec, marker: name + spec + marker,
    names,
    st.sampled_from(["", ">=1", "==2.*", "~=1.4,!=1.4.2", "<3"]),
    st.sampled_from(["", "; python_version < '3.12'", "; os_name == 'nt' or sys_platform == 'x'"]),
)
classifier_list = st.lists(
    st.sampled_from(sorted(c for c in KNOWN_CLASSIFIERS if not c.startswith("License ::"))),
    max_size=4,
    unique=True,
)
keywords = st.lists(line_text.filter(lambda s: "," not in s), max_size=4)
urls = st.dictionaries(
    line_text.filter(lambda s: len(s) <= 32 and "," not in s and s[0] not in "\"'"),
    st.builds(lambda p: f"https://example.org/{p}", st.text(alnum, max_size=10)),
    max_size=3,
)
extras = st.dictionaries(names, st.lists(requirements, max_size=2), max_size=3).filter(
    lambda d: len({canonicalize_name(k) for k in d}) == len(d)
)
licenses = st.sampled_from(
    ["MIT", "mit", "Apache-2.0 OR MIT", "GPL-2.0-only WITH Classpath-exception-2.0"]
)


@st.composite
def projects(draw: st.DrawFn) -> dict[str, Any]:
    table: dict[str, Any] = {"name": draw(names), "version": draw(versions)}
    optional = {
        "description": line_text,
        "authors": people,
        "maintainers": people,
        "keywords": keywords,
        "classifiers": classifier_list,
        "urls": urls,
        "dependencies": st.lists(requirements, max_size=3),
        "optional-dependencies": extras,
        "requires-python": st.sampled_from([">=3.9", ">=3.8,<4", "~=3.10"]),
        "license": licenses,
    }
    for key, strategy in optional.items():
        if draw(st.booleans()):
            table[key] = draw(strategy)
    return table


def toml_dump(data: dict[str, Any]) -> str:
    """Just enough TOML for these tables (strings, lists, tables of those)."""

    def value(v: Any) -> str:
        if isinstance(v, str):
            return '"' + "".join(_escape(c) for c in v) + '"'
        if isinstance(v, list):
            return "[" + ", ".join(value(x) for x in v) + "]"
        if isinstance(v, dict):
            return "{" + ", ".join(f"{value(k)} = {value(x)}" for k, x in v.items()) + "}"
        raise TypeError(v)

    return "[project]\n" + "".join(f"{value(k)} = {value(v)}\n" for k, v in data.items())


def _escape(char: str) -> str:
    if char in '"\\':
        return "\\" + char
    if ord(char) < 32 or ord(char) == 127:
        return f"\\u{ord(char):04x}"
    return char


@SETTINGS
@given(projects())
def test_valid_project_round_trips(table: dict[str, Any]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        files = {"pyproject.toml": toml_dump(table) + '\n[tool.flit.module]\nname = "m"\n'}
        files["m.py"] = ""
        project = write_project(root / "p", files)
        wheel = build_wheel(project, root / "out")
        meta = validate_wheel(wheel)
    assert meta.name == table["name"]
    assert meta.version == Version(table["version"])
    assert meta.summary == table.get("description")
    assert (meta.keywords or []) == table.get("keywords", [])
    assert (meta.classifiers or []) == table.get("classifiers", [])
    assert (meta.project_urls or {}) == table.get("urls", {})
    deps = [Requirement(r) for r in table.get("dependencies", [])]
    assert (meta.requires_dist or [])[: len(deps)] == deps
    assert sorted(meta.provides_extra or []) == sorted(
        canonicalize_name(e) for e in table.get("optional-dependencies", {})
    )
    expected_extra_reqs = [
        (canonicalize_name(extra), Requirement(text))
        for extra, texts in table.get("optional-dependencies", {}).items()
        for text in texts
    ]
    extra_reqs = (meta.requires_dist or [])[len(deps) :]
    assert len(extra_reqs) == len(expected_extra_reqs)
    for got, (extra, wanted) in zip(extra_reqs, expected_extra_reqs):
        assert (got.name, got.specifier, got.extras) == (
            wanted.name,
            wanted.specifier,
            wanted.extras,
        )
        assert got.marker is not None
        assert f'extra == "{extra}"' in str(got.marker)
        if wanted.marker is not None:
            assert str(wanted.marker) in str(got.marker)
    authors = table.get("authors", [])
    named = [a["name"] for a in authors if "email" not in a]
    assert meta.author == (", ".join(named) or None)
    if "license" in table:
        assert meta.license_expression is not None
        assert meta.license_expression.lower() == table["license"].lower()


toml_values = st.recursive(
    st.one_of(
        st.text(max_size=8),
        st.integers(),
        st.booleans(),
        st.floats(allow_nan=False),
    ),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3)
    ),
    max_leaves=8,
)
PROJECT_KEYS = [
    "name", "version", "description", "readme", "requires-python", "license", "license-files",
    "authors", "maintainers", "keywords", "classifiers", "urls", "scripts", "gui-scripts",
    "entry-points", "dependencies", "optional-dependencies", "dynamic", "import-names",
    "import-namespaces", "unknown",
]  # fmt: skip


@SETTINGS
@given(
    st.dictionaries(st.sampled_from(PROJECT_KEYS), toml_values, max_size=5),
    st.dictionaries(
        st.sampled_from(["module", "sdist", "external-data", "metadata", "x"]), toml_values
    ),
)
def test_any_invalid_table_is_a_fletching_error(
    project: dict[str, Any], tool: dict[str, Any]
) -> None:
    data = {"project": {"name": "demo", "version": "1", **project}, "tool": {"flit": tool}}
    try:
        config = parse_pyproject(data)
        complete(config, version="1.0", description="d", module_names=("demo",))
    except FletchingError:
        pass


scalars = st.one_of(st.integers(), st.booleans(), st.floats(allow_nan=False))
not_a_string = scalars | st.lists(st.text(max_size=4), max_size=2)
not_an_array = scalars | st.text(max_size=4) | st.dictionaries(st.text(max_size=4), scalars)
not_a_table = scalars | st.text(max_size=4) | st.lists(st.text(max_size=4), max_size=2)
# A value of a type that each key never takes.
WRONG_TYPES = {
    "name": not_a_string,
    "version": not_a_string,
    "description": not_a_string,
    "requires-python": not_a_string,
    "readme": scalars | st.lists(st.text(max_size=4), max_size=2),
    "license": scalars | st.lists(st.text(max_size=4), max_size=2),
    "license-files": not_an_array,
    "authors": not_an_array,
    "maintainers": not_an_array,
    "keywords": not_an_array,
    "classifiers": not_an_array,
    "dependencies": not_an_array,
    "dynamic": not_an_array,
    "urls": not_a_table,
    "scripts": not_a_table,
    "gui-scripts": not_a_table,
    "entry-points": not_a_table,
    "optional-dependencies": not_a_table,
}


@SETTINGS
@given(
    st.sampled_from(sorted(WRONG_TYPES)).flatmap(lambda k: st.tuples(st.just(k), WRONG_TYPES[k]))
)
def test_a_value_of_the_wrong_type_is_refused_naming_its_key(item: tuple[str, Any]) -> None:
    key, value = item
    project = {"name": "demo", "version": "1", "description": "d", key: value}
    with pytest.raises(ConfigError) as info:
        parse_pyproject({"project": project})
    messages = [str(e) for e in getattr(info.value, "errors", (info.value,))]
    assert any(f"[project] {key}" in message for message in messages), messages


# Every [project] value that ends up in a one-line header, with a slot for the value.
SINGLE_LINE_FIELDS = [
    ("name", '"demo{}"'),
    ("version", '"1{}"'),
    ("description", '"{}"'),
    ("readme", '{{text = "x", content-type = "text/plain{}"}}'),
    ("requires-python", '">=3.9{}"'),
    ("license", '"MIT{}"'),
    ("authors", '[{{name = "{}"}}]'),
    ("authors", '[{{name = "A", email = "a{}@b.org"}}]'),
    ("maintainers", '[{{name = "{}", email = "a@b.org"}}]'),
    ("maintainers", '[{{email = "a{}@b.org"}}]'),
    ("keywords", '["{}"]'),
    ("classifiers", '["Private :: {}"]'),
    ("urls", '{{Home = "https://example.org/{}"}}'),
    ("urls", '{{"Home{}" = "https://example.org/"}}'),
    ("scripts", '{{demo = "demo:{}"}}'),
    ("scripts", '{{"demo{}" = "demo:main"}}'),
    ("gui-scripts", '{{"demo{}" = "demo:main"}}'),
    ("entry-points", '{{group = {{"x{}" = "demo:main"}}}}'),
    ("entry-points", '{{group = {{x = "demo:main{}"}}}}'),
    ("dependencies", '["pkg{}"]'),
    ("dependencies", "[\"pkg; python_version > '{}'\"]"),
    ("optional-dependencies", '{{test = ["pkg{}"]}}'),
    ("optional-dependencies", '{{"test{}" = ["pkg"]}}'),
    ("import-names", '["demo{}"]'),
    ("import-namespaces", '["demo{}"]'),
]
BREAKERS = ["\n", "\r", "\r\n", "\x0b", "\x0c", "\x1c", "\x85", "\u2028", "\u2029", "\x00"]


def _injected_metadata(key: str, template: str, value: str) -> str | None:
    """Build the metadata for a table with ``value`` in one field; None if refused."""
    escaped = "".join(_escape(c) for c in value)
    base = {"name": '"demo"', "version": '"1"', key: template.format(escaped)}
    text = "[project]\n" + "".join(f"{k} = {v}\n" for k, v in base.items())
    try:
        meta = complete(parse_pyproject(tomllib.loads(text)), module_names=("demo",))
    except ConfigError:
        return None
    return render_metadata(meta)


@pytest.mark.parametrize(
    ("key", "template"),
    # import-namespaces of the module 'demo' can only be empty.
    [field for field in SINGLE_LINE_FIELDS if field[0] != "import-namespaces"],
)
def test_each_field_renders_without_a_line_break(key: str, template: str) -> None:
    """The refusals below mean something only if the same field renders when no line
    break is in it: every line-break case is refused before ``complete`` runs."""
    assert any(_injected_metadata(key, template, value) for value in ("", "a"))


@pytest.mark.parametrize(("key", "template"), SINGLE_LINE_FIELDS)
@pytest.mark.parametrize("breaker", BREAKERS)
def test_every_field_refuses_a_line_break(key: str, template: str, breaker: str) -> None:
    assert _injected_metadata(key, template, f"x{breaker}Injected: yes") is None


@SETTINGS
@given(
    st.sampled_from(SINGLE_LINE_FIELDS),
    st.text(max_size=5),
    st.sampled_from(BREAKERS),
    st.text(max_size=5),
)
def test_no_value_can_inject_a_header(
    field: tuple[str, str], before: str, breaker: str, after: str
) -> None:
    rendered = _injected_metadata(*field, before + breaker + "Injected: yes" + after)
    if rendered is not None:
        headers = rendered.split("\n\n")[0]
        assert not any(line.startswith("Injected") for line in headers.splitlines())


def test_header_injection_example() -> None:
    with pytest.raises(ConfigError):
        parse_pyproject({"project": {"name": "demo", "version": "1", "description": "a\nB: c"}})
    meta = complete(parse_pyproject({"project": {"name": "demo", "version": "1"}}))
    assert render_metadata(meta).count("\n") == 3
