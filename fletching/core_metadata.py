"""Render the model as core metadata, WHEEL and entry_points.txt text (pure)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from . import __version__
from ._validate import control_character
from .errors import HeaderInjection
from .metadata import Metadata, Person

if TYPE_CHECKING:
    from ._vendor.packaging.requirements import Requirement

WHEEL_TAG = "py3-none-any"

# The metadata version that first defined each field we may write.
_FIELD_VERSIONS = {
    "License-Expression": (2, 4),
    "License-File": (2, 4),
    "Import-Name": (2, 5),
    "Import-Namespace": (2, 5),
}
_SPECIALS = set('()<>@,;:\\".[]')


def _address(person: Person) -> str:
    """``Name <email>`` with the name quoted when RFC 5322 needs it."""
    name = person.name or ""
    if name and any(ch in _SPECIALS for ch in name):
        name = '"' + name.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return f"{name} <{person.email}>" if name else str(person.email)


def _people(people: tuple[Person, ...]) -> tuple[str | None, str | None]:
    """Split people into the (names-only, with-email) header values."""
    names = ", ".join(p.name for p in people if p.name and not p.email)
    emails = ", ".join(_address(p) for p in people if p.email)
    return names or None, emails or None


def metadata_fields(meta: Metadata) -> list[tuple[str, str]]:
    """The (field, value) pairs of the headers, in the order they are written."""
    fields: list[tuple[str, str]] = [("Name", meta.name), ("Version", str(meta.version))]
    if meta.description is not None:
        fields.append(("Summary", meta.description))
    if meta.keywords:
        fields.append(("Keywords", ",".join(meta.keywords)))
    for role, people in (("Author", meta.authors), ("Maintainer", meta.maintainers)):
        names, emails = _people(people)
        if names:
            fields.append((role, names))
        if emails:
            fields.append((f"{role}-email", emails))
    if meta.license_expression:
        fields.append(("License-Expression", meta.license_expression))
    elif meta.license_text:
        fields.append(("License", meta.license_text))
    fields += [("License-File", path) for path in meta.license_files]
    fields += [("Classifier", c) for c in meta.classifiers]
    fields += [("Requires-Dist", str(r)) for r in meta.dependencies]
    for extra, reqs in meta.optional_dependencies:
        for req in reqs:
            fields.append(("Requires-Dist", _with_extra(req, extra)))
    if meta.requires_python is not None and str(meta.requires_python):
        fields.append(("Requires-Python", str(meta.requires_python)))
    fields += [("Project-URL", f"{label}, {url}") for label, url in meta.urls]
    fields += [("Provides-Extra", extra) for extra, _ in meta.optional_dependencies]
    if meta.import_names is not None:
        # An empty Import-Name says the project provides no import names (PEP 794).
        fields += [("Import-Name", n) for n in meta.import_names] or [("Import-Name", "")]
    fields += [("Import-Namespace", n) for n in meta.import_namespaces or ()]
    if meta.readme is not None and meta.readme.content_type:
        fields.append(("Description-Content-Type", meta.readme.content_type))
    return fields


def _with_extra(requirement: Requirement, extra: str) -> str:
    condition = f'extra == "{extra}"'
    if requirement.marker is not None:
        condition = f"({requirement.marker}) and {condition}"
    import copy  # only optional dependencies need it (and weakref with it)

    unmarked = copy.copy(requirement)
    unmarked.marker = None
    # After a URL, the ';' needs a space before it, or it would be read as part of the URL.
    return f"{unmarked}{' ' if requirement.url else ''}; {condition}"


def metadata_version(fields: list[tuple[str, str]], *, sdist: bool) -> str:
    """The lowest Metadata-Version that defines every field present."""
    needed = max(
        [(2, 2) if sdist else (2, 1)] + [_FIELD_VERSIONS.get(f, (2, 1)) for f, _ in fields]
    )
    return f"{needed[0]}.{needed[1]}"


def render_metadata(meta: Metadata, *, sdist: bool = False) -> str:
    """METADATA (wheel) or PKG-INFO (sdist) text."""
    fields = metadata_fields(meta)
    lines = [f"Metadata-Version: {metadata_version(fields, sdist=sdist)}"]
    for name, value in fields:
        lines.append(f"{name}: {_fold(name, value)}")
    text = "\n".join(lines) + "\n"
    if meta.readme is not None and meta.readme.text:
        text += "\n" + meta.readme.text
        if not text.endswith("\n"):
            text += "\n"
    return text


def _fold(name: str, value: str) -> str:
    if name == "License":
        # The legacy free-text license may span lines: fold them as RFC 822 continuations.
        return "\n        ".join(value.splitlines())
    if control_character(value, tab=True) is not None:
        raise HeaderInjection(f"{name} value {value!r} would break the header block")
    return value


def render_wheel_file() -> str:
    return (
        "Wheel-Version: 1.0\n"
        f"Generator: fletching {__version__}\n"
        "Root-Is-Purelib: true\n"
        f"Tag: {WHEEL_TAG}\n"
    )


def render_entry_points(meta: Metadata) -> str | None:
    """entry_points.txt text, or None when the project declares none."""
    if not meta.entry_points:
        return None
    blocks = []
    for group, points in meta.entry_points:
        blocks.append(f"[{group}]\n" + "".join(f"{name} = {ref}\n" for name, ref in points))
    return "\n".join(blocks)


def read_headers(metadata: bytes) -> dict[str, str]:
    """The first value of each header of a METADATA file (its body not read)."""
    found: dict[str, str] = {}
    for line in metadata.decode("utf-8", "replace").split("\n"):
        if not line:
            break
        key, sep, value = line.partition(": ")
        if sep:
            found.setdefault(key, value)
    return found
