"""The validated, immutable project model: pyproject mapping in, ``Config`` out.

Nothing here touches the file system. ``parse_pyproject`` checks every static
value and records what still has to be read from disk (readme file, license
globs, the module's version and docstring); ``complete`` takes those facts and
returns the final ``Metadata`` that the renderers use.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, NamedTuple

from . import _validate
from ._validate import (
    Collector,
    close_match,
    is_import_name,
    normal_path,
    quote_key,
    toml_string,
)
from .errors import ConfigError, raise_all
from .tool_table import ToolSettings, legacy_hint, parse_tool

if TYPE_CHECKING:
    from ._vendor.packaging.requirements import Requirement
    from ._vendor.packaging.specifiers import SpecifierSet

PROJECT_KEYS = (
    "name",
    "version",
    "description",
    "readme",
    "requires-python",
    "license",
    "license-files",
    "authors",
    "maintainers",
    "keywords",
    "classifiers",
    "urls",
    "scripts",
    "gui-scripts",
    "entry-points",
    "dependencies",
    "optional-dependencies",
    "dynamic",
    "import-names",
    "import-namespaces",
)
# Keys fletching can fill itself when they are listed in ``dynamic``.
FILLABLE = ("version", "description", "import-names", "import-namespaces")

README_TYPES = {".md": "text/markdown", ".rst": "text/x-rst", ".txt": "text/plain"}
# Patterns are compiled on first use (re caches them): importing stays cheap.
_OBJECT_REF = (
    r"^(?P<module>[A-Za-z_]\w*(\.[A-Za-z_]\w*)*)(\s*:\s*(?P<attr>[A-Za-z_]\w*(\.[A-Za-z_]\w*)*))?$"
)
_GROUP = r"^\w+([.-]\w+)*$"
# A trailing "[extra, ...]" on an object reference (entry points specification).
_EXTRAS = r"\s*\[\s*\w+([.-]\w+)*(\s*,\s*\w+([.-]\w+)*)*\s*\]$"
# Any URI (RFC 3986): a scheme, a colon, no white space.
_URL = r"^[A-Za-z][A-Za-z0-9+.-]*:\S+$"


class Person(NamedTuple):
    name: str | None
    email: str | None


class Readme(NamedTuple):
    content_type: str | None
    file: str | None = None
    text: str | None = None


class Metadata(NamedTuple):
    """Everything that becomes core metadata, validated and normalised."""

    name: str
    # canonicalize_name(name), worked out once while validating, so that building from
    # prepared metadata never needs packaging (see config.load_prepared).
    normalized_name: str
    version: str | None = None  # normalised (PEP 440), e.g. '1.0rc1' for '1.0-RC1'
    description: str | None = None
    readme: Readme | None = None
    requires_python: SpecifierSet | None = None
    license_expression: str | None = None
    license_text: str | None = None
    license_files: tuple[str, ...] = ()
    authors: tuple[Person, ...] = ()
    maintainers: tuple[Person, ...] = ()
    keywords: tuple[str, ...] = ()
    classifiers: tuple[str, ...] = ()
    urls: tuple[tuple[str, str], ...] = ()
    entry_points: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] = ()
    dependencies: tuple[Requirement, ...] = ()
    optional_dependencies: tuple[tuple[str, tuple[Requirement, ...]], ...] = ()
    dynamic: frozenset[str] = frozenset()
    import_names: tuple[str, ...] | None = None
    import_namespaces: tuple[str, ...] | None = None

    @property
    def file_name(self) -> str:
        """The name as it appears in wheel and sdist file names."""
        return self.normalized_name.replace("-", "_")

    @property
    def stem(self) -> str:
        """``{name}-{version}``, how the wheel, sdist, .dist-info and .data names begin."""
        return f"{self.file_name}-{self.version}"


class Config(NamedTuple):
    """The parsed pyproject.toml, with what is still to be read from disk."""

    metadata: Metadata
    tool: ToolSettings = ToolSettings()
    # (key, pattern) of [project] license-files; None means "use the defaults".
    license_file_patterns: tuple[tuple[str, str], ...] | None = None
    legacy_license_file: str | None = None
    warnings: tuple[str, ...] = ()

    @property
    def needs_module_values(self) -> bool:
        return bool({"version", "description"} & self.metadata.dynamic)


def parse_pyproject(data: Mapping[str, Any], file: str = "pyproject.toml") -> Config:
    """Validate a loaded pyproject.toml; raise ``ConfigError(s)`` listing every problem."""
    c = Collector(file)
    project = data.get("project")
    if project is None:
        hint = ""
        tool = data.get("tool")
        if (
            isinstance(tool, dict)
            and isinstance(tool.get("flit"), dict)
            and "metadata" in tool["flit"]
        ):
            hint = legacy_hint(tool["flit"])
        raise ConfigError(
            "there is no [project] table; fletching reads the project's metadata from it "
            "(https://packaging.python.org/en/latest/specifications/pyproject-toml/)" + hint,
            file=file,
        )
    if not isinstance(project, dict):
        raise ConfigError(
            f"expected a table, got {_validate.describe(project)}", file=file, key="[project]"
        )
    metadata = _parse_project(c, project)
    tool = parse_tool(c, data.get("tool", {}))
    license_patterns = None
    if "license-files" in project:
        license_patterns = tuple(
            c.globs(project["license-files"], "[project] license-files", dotdot=False)
        )
    legacy_file = None
    license_value = project.get("license")
    if isinstance(license_value, dict):
        if isinstance(license_value.get("file"), str):
            legacy_file = normal_path(license_value["file"])
        c.warnings.append(
            "pyproject.toml: [project] license: the license table is deprecated (PEP 639); write "
            'license = "<SPDX expression>", e.g. license = "MIT", and list the files in '
            "license-files"
        )
        if license_patterns is not None:
            c.error(
                "[project] license",
                "a license table cannot be combined with [project] license-files (PEP 639); "
                'write license = "<SPDX expression>" instead',
            )
    if metadata is not None and metadata.license_expression:
        for index, classifier in enumerate(metadata.classifiers):
            if classifier.startswith("License ::"):
                c.error(
                    f"[project] classifiers[{index}]",
                    f"the license classifier {classifier!r} conflicts with [project] license = "
                    f"{metadata.license_expression!r} (PEP 639); remove the classifier",
                )
    raise_all(c.errors)
    assert metadata is not None
    return Config(metadata, tool, license_patterns, legacy_file, tuple(c.warnings))


def _parse_project(c: Collector, project: dict[str, Any]) -> Metadata | None:
    c.unknown_keys(project, PROJECT_KEYS, "[project]")
    dynamic = _parse_dynamic(c, project)
    values: dict[str, Any] = {"dynamic": frozenset(dynamic)}

    name = project.get("name")
    if name is None:
        c.error(
            "[project] name", 'is required: give the distribution\'s name, e.g. name = "my-project"'
        )
    else:
        values["name"] = _parse_name(c, name)
        if values["name"] is not None:
            from ._vendor.packaging.utils import canonicalize_name

            values["normalized_name"] = canonicalize_name(values["name"])

    for key, parse in _FIELD_PARSERS.items():
        if key in project:
            parsed = parse(c, project[key], f"[project] {key}")
            if parsed is not None:
                values.update(parsed)
        elif key == "version" and "version" not in dynamic:
            c.error(
                "[project] version",
                'is required: set version = "1.0" or add "version" to [project] dynamic '
                "to read __version__ from the module",
            )
    groups = dict(values.pop("_entry_points", ()))
    for group, key in (("console_scripts", "_scripts"), ("gui_scripts", "_gui_scripts")):
        if values.get(key):
            groups[group] = values[key]
        values.pop(key, None)
    values["entry_points"] = tuple(sorted((g, tuple(sorted(p))) for g, p in groups.items() if p))
    if values.get("name") is None:
        return None
    return Metadata(**values)


def _parse_dynamic(c: Collector, project: dict[str, Any]) -> list[str]:
    entries = c.string_list(project.get("dynamic", []), "[project] dynamic") or []
    dynamic = []
    for key, entry in entries:
        if entry not in PROJECT_KEYS or entry == "dynamic":
            c.error(key, f"{entry!r} is not a [project] key{close_match(entry, PROJECT_KEYS)}")
        elif entry == "name":
            c.error(key, 'the name cannot be dynamic; write name = "..." in [project]')
        elif entry in project:
            c.error(
                key,
                f"{entry!r} is both given in [project] and listed in dynamic; "
                "remove one of the two",
            )
        elif entry not in FILLABLE:
            c.error(
                key,
                f"fletching cannot fill {entry!r} dynamically (it fills "
                f"{', '.join(FILLABLE)}); write [project] {entry} statically",
            )
        elif entry in dynamic:
            # flit_core reads dynamic as a set; nothing is lost.
            c.warnings.append(
                f"{c.file}: {key}: {entry!r} is listed twice; list each key once, e.g."
                f" dynamic = [{toml_string(entry)}]"
            )
        else:
            dynamic.append(entry)
    return dynamic


def _parse_name(c: Collector, value: object) -> str | None:
    from ._vendor.packaging.utils import InvalidName, canonicalize_name

    name = c.typed(value, str, "[project] name")
    if name is None:
        return None
    try:
        canonicalize_name(name, validate=True)
    except InvalidName:
        c.error(
            "[project] name",
            f"{name!r} is not a valid distribution name: use ASCII letters, digits, "
            "'.', '-' and '_', starting and ending with a letter or digit",
        )
        return None
    return name


def _parse_version(c: Collector, value: object, key: str) -> dict[str, Any] | None:
    text = c.typed(value, str, key)
    if text is None:
        return None
    version = parse_version(text)
    if version is None:
        c.error(
            key, f"{text!r} is not a valid version (PEP 440), e.g. '1.0', '2.1.0rc1', '0.3.dev2'"
        )
        return None
    return {"version": version}


def parse_version(text: str) -> str | None:
    """A PEP 440 version in its normal form, or None."""
    from ._vendor.packaging.version import InvalidVersion, Version

    try:
        return str(Version(text.strip()))
    except InvalidVersion:
        return None


def docstring_summary(docstring: str | None) -> str | None:
    """The first line of a module docstring, which flit makes the Summary."""
    lines = (docstring or "").strip().splitlines()
    return lines[0].strip() if lines else None


def _parse_description(c: Collector, value: object, key: str) -> dict[str, Any] | None:
    text = c.typed(value, str, key)
    if text is None or not c.single_line(text, key):
        return None
    return {"description": text}


def _parse_readme(c: Collector, value: object, key: str) -> dict[str, Any] | None:
    if isinstance(value, str):
        return _readme_file(c, value, None, key)
    table = c.typed(value, dict, key)
    if table is None:
        return None
    c.unknown_keys(table, ("file", "text", "content-type"), key)
    content_type = table.get("content-type")
    if content_type is not None:
        ct_key = f"{key}.content-type"
        content_type = c.typed(content_type, str, ct_key)
        if content_type is None or not c.single_line(content_type, ct_key):
            return None
        base = content_type.split(";")[0].strip().lower()
        if base not in README_TYPES.values():
            kinds = ", ".join(README_TYPES.values())
            c.error(
                ct_key, f"{content_type!r} is not a readme type PyPI can show; use one of {kinds}"
            )
            return None
    if ("file" in table) == ("text" in table):
        c.error(key, "give exactly one of 'file' or 'text'")
        return None
    if "file" in table:
        path = c.typed(table["file"], str, f"{key}.file")
        return None if path is None else _readme_file(c, path, content_type, f"{key}.file")
    text = c.typed(table["text"], str, f"{key}.text")
    if text is None:
        return None
    if content_type is None:
        c.error(
            f"{key}.content-type", "is required with 'text', e.g. content-type = \"text/markdown\""
        )
        return None
    return {"readme": Readme(content_type=content_type, text=text)}


def _readme_file(
    c: Collector, path: str, content_type: str | None, key: str
) -> dict[str, Any] | None:
    if not c.relative_path(path, key):
        return None
    if content_type is None:
        suffix = posixpath.splitext(path)[1].lower()
        content_type = README_TYPES.get(suffix)
        if content_type is None:
            # flit builds such projects too; the readme goes in without a type.
            c.warnings.append(
                f"{c.file}: {key}: cannot tell the content type of {path!r} from its extension "
                "(.md, .rst or .txt), so none is recorded; write readme = "
                f'{{file = "{path}", content-type = "text/markdown"}} to choose one'
            )
    return {"readme": Readme(content_type=content_type, file=normal_path(path))}


def _parse_requires_python(c: Collector, value: object, key: str) -> dict[str, Any] | None:
    from ._vendor.packaging.specifiers import InvalidSpecifier, SpecifierSet

    text = c.typed(value, str, key)
    if text is None:
        return None
    try:
        return {"requires_python": SpecifierSet(text)}
    except InvalidSpecifier as exc:
        c.error(key, f"{text!r} is not a valid version specifier, e.g. '>=3.9': {exc}")
        return None


def _parse_license(c: Collector, value: object, key: str) -> dict[str, Any] | None:
    if isinstance(value, str):
        expression = parse_license_expression(c, value, key)
        return None if expression is None else {"license_expression": expression}
    table = c.typed(value, dict, key)
    if table is None:
        return None
    c.unknown_keys(table, ("file", "text"), key)
    if ("file" in table) == ("text" in table):
        c.error(key, "give exactly one of 'file' or 'text', or better an SPDX expression (PEP 639)")
        return None
    if "file" in table:
        path = c.typed(table["file"], str, f"{key}.file")
        if path is not None:
            c.relative_path(path, f"{key}.file")
        return None
    text = c.typed(table["text"], str, f"{key}.text")
    return None if text is None else {"license_text": text}


def parse_license_expression(c: Collector, text: str, key: str) -> str | None:
    from ._vendor.packaging.licenses import (
        InvalidLicenseExpression,
        canonicalize_license_expression,
    )

    try:
        return canonicalize_license_expression(text)
    except InvalidLicenseExpression as exc:
        hint = ""
        try:
            from ._vendor.packaging.licenses._spdx import EXCEPTIONS, LICENSES

            ids = [v["id"] for v in LICENSES.values()] + [v["id"] for v in EXCEPTIONS.values()]
            for token in re.split(r"[\s()]+", text):
                if (
                    token
                    and token.upper() not in ("AND", "OR", "WITH")
                    and token.lower() not in LICENSES
                ):
                    hint = close_match(token, ids)
                    if hint:
                        break
        except ImportError:  # pragma: no cover - packaging's private table moved
            pass
        c.error(key, f"{text!r} is not a valid SPDX license expression{hint}: {exc}")
        return None


def _parse_people(c: Collector, value: object, key: str) -> tuple[Person, ...] | None:
    items = c.typed(value, list, key)
    if items is None:
        return None
    people = []
    for index, item in enumerate(items):
        item_key = f"{key}[{index}]"
        table = c.typed(item, dict, item_key)
        if table is None:
            continue
        c.unknown_keys(table, ("name", "email"), item_key)
        name = table.get("name")
        email = table.get("email")
        if name is not None:
            name = c.typed(name, str, f"{item_key}.name")
            if name is not None and c.single_line(name, f"{item_key}.name") and "," in name:
                # The specification forbids it, yet flit_core writes such a name (quoted
                # before an email) and the index takes it.
                c.warnings.append(
                    f"{c.file}: {item_key}.name: {name!r} contains a comma, which the pyproject"
                    " specification forbids; give each person a table of their own, e.g."
                    f' {key.rsplit(" ", 1)[-1]} = [{{name = "Ann"}}, {{name = "Bob"}}]'
                )
        if email is not None:
            email = c.typed(email, str, f"{item_key}.email")
            if (
                email is not None
                and c.single_line(email, f"{item_key}.email")
                and not _plain_address(email)
            ):
                if name is None and _addresses(email):
                    # "Ann <ann@example.org>" or "a@x.org, b@y.org": not one address as
                    # the specification wants, but flit_core writes it as it is, and it
                    # reads back as valid addresses.
                    c.warnings.append(
                        f"{c.file}: {item_key}.email: {email!r} is not one email address;"
                        f" give each person a table of their own, e.g. {key.rsplit(' ', 1)[-1]}"
                        ' = [{name = "Ann", email = "ann@example.org"}]'
                    )
                else:
                    c.error(f"{item_key}.email", f"{email!r} is not a valid email address")
        if name is None and email is None:
            if table:
                continue  # an error was recorded for its keys
            # The specification wants one of the two; flit_core writes nothing for it.
            c.warnings.append(
                f"{c.file}: {item_key}: the table has neither name nor email, so it is left"
                ' out; remove it, or write {name = "Ann", email = "ann@example.org"}'
            )
            continue
        people.append(Person(name, email))
    return tuple(people)


def _plain_address(text: str) -> bool:
    return text.count("@") == 1 and "," not in text and " " not in text.strip()


def _addresses(text: str) -> bool:
    """Whether ``text`` is a list of RFC 5322 mailboxes, each with a plain address."""
    import email.utils

    found = email.utils.getaddresses([text])
    return bool(found) and all(_plain_address(address) for _, address in found)


def _parse_authors(c: Collector, value: object, key: str) -> dict[str, Any] | None:
    people = _parse_people(c, value, key)
    return None if people is None else {"authors": people}


def _parse_maintainers(c: Collector, value: object, key: str) -> dict[str, Any] | None:
    people = _parse_people(c, value, key)
    return None if people is None else {"maintainers": people}


def _parse_keywords(c: Collector, value: object, key: str) -> dict[str, Any] | None:
    keywords = []
    for item_key, word in c.string_list(value, key) or []:
        if c.single_line(word, item_key):
            if "," in word:
                # flit_core writes it as it is: the index reads several keywords.
                parts = [part.strip() for part in word.split(",") if part.strip()]
                c.warnings.append(
                    f"{c.file}: {item_key}: {word!r} contains a comma, which separates"
                    f" keywords in core metadata, so it is recorded as {len(parts)} keywords;"
                    f" write keywords = [{', '.join(toml_string(p) for p in parts)}]"
                )
            keywords.append(word)
    return {"keywords": tuple(keywords)}


def _parse_classifiers(c: Collector, value: object, key: str) -> dict[str, Any] | None:
    from ._vendor.trove_classifiers import classifiers as known
    from ._vendor.trove_classifiers import deprecated_classifiers

    found = []
    for item_key, text in c.string_list(value, key) or []:
        if text.startswith("Private ::") and c.single_line(text, item_key):
            found.append(text)
        elif text in deprecated_classifiers:
            better = deprecated_classifiers[text]
            instead = f"; use {' or '.join(map(repr, better))} instead" if better else ""
            c.error(item_key, f"{text!r} is a deprecated classifier{instead}")
        elif text not in known and not _newer_list_knows(text):
            from ._vendoring import library_version

            c.error(
                item_key,
                f"{text!r} is not a known trove classifier{close_match(text, known, 0.8)}"
                f"; fletching has the list of trove-classifiers"
                f" {library_version('trove-classifiers')}: for a newer classifier, add"
                ' "trove-classifiers>=<the release that has it>" to [build-system] requires,'
                " or upgrade fletching",
            )
        else:
            found.append(text)
    return {"classifiers": tuple(found)}


def _newer_list_knows(text: str) -> bool:
    """Whether an installed trove-classifiers, newer than fletching's copy, has ``text``:
    a project that adds it to [build-system] requires can use a new classifier at once."""
    import importlib.util

    if importlib.util.find_spec("trove_classifiers") is None:
        return False
    from trove_classifiers import classifiers

    return text in classifiers


def _parse_urls(c: Collector, value: object, key: str) -> dict[str, Any] | None:
    urls = []
    for item_key, label, url in c.string_table(value, key) or []:
        if (
            len(label) > 32
            or "," in label
            or not label.strip()
            or not c.single_line(label, item_key)
        ):
            c.error(item_key, f"the label {label!r} must be 1 to 32 characters without commas")
        elif not re.match(_URL, url) or not c.single_line(url, item_key):
            c.error(item_key, f"{url!r} is not a URL, e.g. 'https://example.org/project'")
        else:
            if not url.lower().startswith(("https://", "http://")):
                # No standard forbids mailto: or urn:, and flit_core writes them.
                c.warnings.append(
                    f"{c.file}: {item_key}: {url!r} is not an http(s) URL, and PyPI refuses"
                    " other schemes in Project-URL; write an https:// URL, e.g."
                    f' {quote_key(label)} = "https://example.org/contact"'
                )
            urls.append((label, url))
    return {"urls": tuple(urls)}


def _entry_points_of(c: Collector, value: object, key: str) -> tuple[tuple[str, str], ...]:
    points = []
    for item_key, name, ref in c.string_table(value, key) or []:
        if (
            not name.strip()
            or "=" in name
            or name.startswith("[")
            or not c.single_line(name, item_key)
        ):
            c.error(item_key, f"{name!r} is not a valid entry point name")
        elif re.match(_OBJECT_REF, ref.strip()):
            points.append((name, ref.strip()))
        elif re.match(_OBJECT_REF, re.sub(_EXTRAS, "", ref.strip())):
            # Deprecated by the entry points specification, which still has every consumer
            # parse it; flit_core writes it as it is, and so does fletching.
            plain = re.sub(_EXTRAS, "", ref.strip())
            c.warnings.append(
                f"{c.file}: {item_key}: extras in an object reference are deprecated (entry "
                f"points specification); write {plain!r} and require the extra's dependencies "
                "where the entry point is used"
            )
            points.append((name, ref.strip()))
        else:
            c.error(
                item_key,
                f"{ref!r} is not an object reference; write 'package.module:function'",
            )
    return tuple(points)


def _parse_scripts(c: Collector, value: object, key: str) -> dict[str, Any] | None:
    return {"_scripts": _entry_points_of(c, value, key)}


def _parse_gui_scripts(c: Collector, value: object, key: str) -> dict[str, Any] | None:
    return {"_gui_scripts": _entry_points_of(c, value, key)}


def _parse_entry_points(c: Collector, value: object, key: str) -> dict[str, Any] | None:
    table = c.typed(value, dict, key)
    if table is None:
        return None
    groups = []
    for group, points in table.items():
        group_key = f"{key}.{quote_key(group)}"
        if group in ("console_scripts", "gui_scripts"):
            where = "scripts" if group == "console_scripts" else "gui-scripts"
            c.error(group_key, f"write these in [project.{where}] instead")
        elif not re.match(_GROUP, group):
            c.error(group_key, f"{group!r} is not a valid entry point group name")
        else:
            groups.append((group, _entry_points_of(c, points, group_key)))
    return {"_entry_points": tuple(groups)}


def _requirement(c: Collector, text: str, key: str) -> Requirement | None:
    from ._vendor.packaging.requirements import InvalidRequirement, Requirement

    if not c.single_line(text, key):
        return None
    try:
        return Requirement(text)
    except InvalidRequirement as exc:
        detail = str(exc).splitlines()[0]
        c.error(key, f"{text!r} is not a valid requirement (PEP 508): {detail}")
        return None


def _parse_dependencies(c: Collector, value: object, key: str) -> dict[str, Any] | None:
    reqs = [_requirement(c, text, item_key) for item_key, text in c.string_list(value, key) or []]
    return {"dependencies": tuple(r for r in reqs if r is not None)}


def _parse_optional(c: Collector, value: object, key: str) -> dict[str, Any] | None:
    from ._vendor.packaging.utils import InvalidName, canonicalize_name

    table = c.typed(value, dict, key)
    if table is None:
        return None
    extras: dict[str, tuple[Requirement, ...]] = {}
    for extra, items in table.items():
        extra_key = f"{key}.{quote_key(extra)}"
        try:
            normal = canonicalize_name(extra, validate=True)
        except InvalidName:
            c.error(
                extra_key, f"{extra!r} is not a valid extra name (letters, digits, '.', '-', '_')"
            )
            continue
        if normal in extras:
            c.error(
                extra_key,
                f"{extra!r} is the same extra as another one once normalised ({normal!r})",
            )
            continue
        reqs = [_requirement(c, text, k) for k, text in c.string_list(items, extra_key) or []]
        extras[normal] = tuple(r for r in reqs if r is not None)
    return {"optional_dependencies": tuple(extras.items())}


def _import_names(c: Collector, value: object, key: str) -> tuple[str, ...]:
    names = []
    for item_key, entry in c.string_list(value, key) or []:
        name, sep, rest = entry.partition(";")
        if not is_import_name(name.strip()) or (sep and rest.strip() != "private"):
            c.error(
                item_key,
                f"{entry!r} is not an import name, e.g. 'pkg', 'pkg.sub' or 'pkg; private'",
            )
        else:
            names.append(name.strip() + ("; private" if sep else ""))
    return tuple(names)


def _parse_import_names(c: Collector, value: object, key: str) -> dict[str, Any] | None:
    return {"import_names": _import_names(c, value, key)}


def _parse_import_namespaces(c: Collector, value: object, key: str) -> dict[str, Any] | None:
    return {"import_namespaces": _import_names(c, value, key)}


def _parse_nothing(c: Collector, value: object, key: str) -> dict[str, Any] | None:
    return None


_FIELD_PARSERS = {
    "version": _parse_version,
    "description": _parse_description,
    "readme": _parse_readme,
    "requires-python": _parse_requires_python,
    "license": _parse_license,
    "license-files": _parse_nothing,  # globs: checked in parse_pyproject
    "authors": _parse_authors,
    "maintainers": _parse_maintainers,
    "keywords": _parse_keywords,
    "classifiers": _parse_classifiers,
    "urls": _parse_urls,
    "scripts": _parse_scripts,
    "gui-scripts": _parse_gui_scripts,
    "entry-points": _parse_entry_points,
    "dependencies": _parse_dependencies,
    "optional-dependencies": _parse_optional,
    "import-names": _parse_import_names,
    "import-namespaces": _parse_import_namespaces,
}


def complete(
    config: Config,
    *,
    version: str | None = None,
    description: str | None = None,
    readme_text: str | None = None,
    license_files: tuple[str, ...] = (),
    module_name: str | None = None,
    source: str = "the module",
) -> Metadata:
    """Fill in what was read from disk and return the final, renderable metadata."""
    meta = config.metadata
    c = Collector("pyproject.toml")
    changes: dict[str, Any] = {"license_files": license_files}
    if "version" in meta.dynamic:
        parsed = None if version is None else parse_version(version)
        if parsed is None:
            raise ConfigError(
                f"__version__ = {version!r} is not a valid version (PEP 440)",
                file=source,
                key="__version__",
            )
        changes["version"] = parsed
    if "description" in meta.dynamic:
        changes["description"] = description
    if meta.readme is not None and meta.readme.text is None:
        changes["readme"] = meta.readme._replace(text=readme_text or "")
    if module_name is not None:
        # A stubs package provides no import name of its own.
        stubs = module_name.endswith("-stubs")
        top = module_name.split(".")
        if "import-names" in meta.dynamic:
            changes["import_names"] = () if stubs else (module_name,)
        if "import-namespaces" in meta.dynamic:
            changes["import_namespaces"] = tuple(".".join(top[:i]) for i in range(1, len(top)))
        # A module flit_core packs although Python cannot import it ('not-valid') has
        # no import name to write: packaging, and so the index, refuse it.
        for key, field in (
            ("import-names", "import_names"),
            ("import-namespaces", "import_namespaces"),
        ):
            bad = [n for n in changes.get(field, ()) if not is_import_name(n)]
            if bad:
                c.error(
                    "[project] dynamic",
                    f"{bad[0]!r} is not an importable module name, so it cannot be written as"
                    f" an {'Import-Name' if key == 'import-names' else 'Import-Namespace'};"
                    f' remove "{key}" from dynamic',
                )
                del changes[field]
    result = meta._replace(**changes)
    if module_name is not None:
        _check_import_names(c, result, module_name)
    raise_all(c.errors)
    return result


def _check_import_names(c: Collector, meta: Metadata, module: str) -> None:
    """Declared import names must describe the one module the project ships."""
    stubs = module.endswith("-stubs")
    expected = [] if stubs or not is_import_name(module) else [module]
    parents = module.split(".")[:-1]
    expected_spaces = {".".join(parents[:i]) for i in range(1, len(parents) + 1)}
    names = [n.split(";")[0].strip() for n in meta.import_names or ()]
    if meta.import_names is not None and names != expected:
        c.error(
            "[project] import-names",
            f"{names!r} does not match the module this project ships; write "
            f"import-names = {expected!r}",
        )
    spaces = {n.split(";")[0].strip() for n in meta.import_namespaces or ()}
    if meta.import_namespaces is not None and spaces != expected_spaces:
        c.error(
            "[project] import-namespaces",
            f"{sorted(spaces)!r} does not match the namespace packages around {module!r}; "
            f"write import-namespaces = {sorted(expected_spaces)!r}",
        )
