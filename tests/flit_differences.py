"""Every deliberate difference between fletching's artefacts and flit_core 4.2's, in one place.

tests/test_flit_compat.py builds each sample project with both backends and
reduces each artefact to *facts*: a flat mapping from a key such as
``"METADATA:Summary"``, ``"wheel:member:pkg/__init__.py"`` or ``"sdist:members"``
to a comparable value. Core metadata is parsed field by field there (fields
whose order carries no meaning become sets, requirements are parsed); a few
facts keep the raw form (``...:text``, ``...:order``, ``RECORD:line-ending``) so
that formatting differences are visible too.

The two sets of facts must then be equal, except for the differences listed in
``DIFFERENCES`` below. Each entry has a name, the reason fletching differs, and
an ``adjust`` function that recognises exactly that difference (checking what
both sides wrote, and the project's configuration when the difference depends
on it) and removes it; it returns True when it found the difference. Anything
an entry does not recognise is left alone and fails the comparison.

``FLETCHING_ONLY`` lists the samples flit_core cannot build as they are.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Callable

Facts = dict[str, Any]

METADATA_FILES = ("METADATA", "PKG-INFO")


@dataclass(frozen=True)
class Case:
    """One project being compared: its id and its parsed pyproject.toml (as fletching reads it)."""

    name: str
    pyproject: Mapping[str, Any]

    @property
    def project(self) -> Mapping[str, Any]:
        table: Mapping[str, Any] = self.pyproject.get("project", {})
        return table

    @property
    def dynamic(self) -> list[str]:
        dynamic: list[str] = self.project.get("dynamic", [])
        return dynamic

    def declares(self, key: str) -> bool:
        """Whether [project] sets ``key`` or lists it in dynamic."""
        return key in self.project or key in self.dynamic


@dataclass(frozen=True)
class Difference:
    name: str
    why: str
    adjust: Callable[[Case, Facts, Facts], bool]  # (case, flit facts, fletching facts)


# ---------------------------------------------------------------------------
# Adjusters. Each one touches only the facts it is about.


def _wheel_tag(case: Case, flit: Facts, ours: Facts) -> bool:
    if "WHEEL:Tag" not in flit:
        return False
    flit_name: str = flit["wheel:filename"]
    if (
        flit["WHEEL:Tag"] == ("py2-none-any", "py3-none-any")
        and ours.get("WHEEL:Tag") == ("py3-none-any",)
        and flit_name.endswith("-py2.py3-none-any.whl")
    ):
        flit["WHEEL:Tag"] = ("py3-none-any",)
        flit["wheel:filename"] = flit_name.replace("-py2.py3-none-any.whl", "-py3-none-any.whl")
        return True
    return False


# The core metadata version that introduced each field either backend may write,
# from the core metadata specification. Kept apart from core_metadata._FIELD_VERSIONS
# on purpose: the check must not take its answer from the code it checks.
_FIELD_VERSIONS = {
    "Dynamic": (2, 2),
    "License-Expression": (2, 4),
    "License-File": (2, 4),
    "Import-Name": (2, 5),
    "Import-Namespace": (2, 5),
}
_BASE_VERSION = {"METADATA": (2, 1), "PKG-INFO": (2, 2)}  # an sdist's PKG-INFO needs 2.2+


def _lowest_metadata_version(facts: Facts, prefix: str) -> str:
    fields = [key.split(":")[1] for key in facts if key.startswith(f"{prefix}:")]
    needed = max([_BASE_VERSION[prefix]] + [_FIELD_VERSIONS.get(f, (1, 0)) for f in fields])
    return f"{needed[0]}.{needed[1]}"


def _metadata_version(case: Case, flit: Facts, ours: Facts) -> bool:
    changed = False
    for prefix in METADATA_FILES:
        key = f"{prefix}:Metadata-Version"
        if key not in flit or flit[key] != "2.5":
            continue
        if ours.get(key) == _lowest_metadata_version(ours, prefix) and ours[key] != flit[key]:
            flit[key] = ours[key]
            changed = True
    return changed


def _import_fields(case: Case, flit: Facts, ours: Facts) -> bool:
    changed = False
    for field, key in (("Import-Name", "import-names"), ("Import-Namespace", "import-namespaces")):
        if case.declares(key):
            continue
        for prefix in METADATA_FILES:
            fact = f"{prefix}:{field}"
            if fact in flit and fact not in ours:
                if field == "Import-Name":
                    assert len(flit[fact]) == 1, flit[fact]  # flit writes the module name
                del flit[fact]
                changed = True
    return changed


def _generator(case: Case, flit: Facts, ours: Facts) -> bool:
    if "WHEEL:Generator" not in flit:
        return False
    if flit["WHEEL:Generator"] == "flit 4.2.0" and str(ours.get("WHEEL:Generator")).startswith(
        "fletching "
    ):
        del flit["WHEEL:Generator"], ours["WHEEL:Generator"]
        return True
    return False


def _record_format(case: Case, flit: Facts, ours: Facts) -> bool:
    if "RECORD:order" not in flit:
        return False
    # The rows themselves are compared as a set (RECORD:rows); here only the form.
    ends_with_record = all(facts["RECORD:order"][-1].endswith("/RECORD") for facts in (flit, ours))
    formats = (flit["RECORD:line-ending"], ours["RECORD:line-ending"])
    if ends_with_record and formats == ("\r\n", "\n"):
        for facts in (flit, ours):
            del facts["RECORD:order"], facts["RECORD:line-ending"]
        return True
    return False


def _empty_entry_point_groups(case: Case, flit: Facts, ours: Facts) -> bool:
    text = flit.get("entry_points.txt:text")
    if text is None or "entry_points.txt:text" in ours or flit["entry_points.txt"]:
        return False
    if not all(line.startswith("[") for line in text.splitlines() if line.strip()):
        return False  # not just empty [group] headers
    (member,) = [m for m in flit["wheel:members"] if m.endswith(".dist-info/entry_points.txt")]
    del flit["entry_points.txt:text"], flit["entry_points.txt"]
    flit["wheel:members"] = flit["wheel:members"] - {member}
    flit["wheel:modes"] = frozenset(e for e in flit["wheel:modes"] if e[0] != member)
    flit["RECORD:order"] = tuple(path for path in flit["RECORD:order"] if path != member)
    flit["RECORD:rows"] = frozenset(row for row in flit["RECORD:rows"] if row[0] != member)
    return True


def _entry_points_format(case: Case, flit: Facts, ours: Facts) -> bool:
    key = "entry_points.txt:text"
    if key in flit and key in ours and flit["entry_points.txt"] == ours["entry_points.txt"]:
        changed = bool(flit[key] != ours[key])
        del flit[key], ours[key]
        return changed
    return False


def _license_text(case: Case, flit: Facts, ours: Facts) -> bool:
    license_value = case.project.get("license")
    if not (isinstance(license_value, dict) and "text" in license_value):
        return False
    changed = False
    for prefix in METADATA_FILES:
        key = f"{prefix}:License"
        if key not in flit and ours.get(key) == license_value["text"]:
            del ours[key]
            changed = True
    return changed


def _summary_whitespace(case: Case, flit: Facts, ours: Facts) -> bool:
    if "description" not in case.dynamic:
        return False
    changed = False
    for prefix in METADATA_FILES:
        key = f"{prefix}:Summary"
        theirs = flit.get(key)
        if (
            isinstance(theirs, str)
            and theirs.rstrip() != theirs
            and theirs.rstrip() == ours.get(key)
        ):
            flit[key] = ours[key]
            changed = True
    return changed


def _requirement_spelling(case: Case, flit: Facts, ours: Facts) -> bool:
    changed = False
    for prefix in METADATA_FILES:
        key = f"{prefix}:Requires-Dist"
        text = f"{key}:text"
        if text in flit and text in ours and flit.get(key) == ours.get(key):
            changed |= flit[text] != ours[text]
            del flit[text], ours[text]
    return changed


def _empty_keywords(case: Case, flit: Facts, ours: Facts) -> bool:
    if case.project.get("keywords") != []:
        return False
    changed = False
    for prefix in METADATA_FILES:
        key = f"{prefix}:Keywords"
        if flit.get(key) == "" and key not in ours:
            del flit[key]
            changed = True
    return changed


def _readme_body(case: Case, flit: Facts, ours: Facts) -> bool:
    changed = False
    for prefix in METADATA_FILES:
        key = f"{prefix}:body"
        mine = ours.get(key)
        if isinstance(mine, str) and mine.endswith("\n") and flit.get(key) == mine + "\n":
            flit[key] = mine
            changed = True
    return changed


def _pkg_info_last(case: Case, flit: Facts, ours: Facts) -> bool:
    if "sdist:order" not in flit:
        return False
    theirs, mine = flit["sdist:order"], ours["sdist:order"]
    # The member lists are compared as sets (sdist:members); here only the order.
    flit_form = theirs[-1:] == ("PKG-INFO",) and list(theirs[:-1]) == sorted(theirs[:-1])
    if flit_form and list(mine) == sorted(mine) and theirs != mine:
        del flit["sdist:order"], ours["sdist:order"]
        return True
    return False


def _drop_flit_members(flit: Facts, ours: Facts, left_out: Callable[[str], bool]) -> bool:
    """Remove from flit's facts the files fletching does not pack, where ``left_out`` says
    fletching leaves such a file out (wheel, sdist, RECORD rows and installed files)."""
    changed = False
    for kind in ("wheel", "sdist", "installed"):
        members = f"{kind}:members" if kind != "installed" else "installed:files"
        if members not in flit:
            continue
        stray = {m for m in flit[members] - ours[members] if left_out(m)}
        if not stray:
            continue
        changed = True
        flit[members] = flit[members] - stray
        if f"{kind}:modes" in flit:
            flit[f"{kind}:modes"] = frozenset(e for e in flit[f"{kind}:modes"] if e[0] not in stray)
        if f"{kind}:order" in flit:
            flit[f"{kind}:order"] = tuple(m for m in flit[f"{kind}:order"] if m not in stray)
        prefix = f"{kind}:member:" if kind != "installed" else "installed:"
        for member in stray:
            flit.pop(prefix + member, None)
        if kind == "wheel":
            flit["RECORD:rows"] = frozenset(r for r in flit["RECORD:rows"] if r[0] not in stray)
            flit["RECORD:order"] = tuple(r for r in flit["RECORD:order"] if r not in stray)
    return changed


def _never_bytecode(case: Case, flit: Facts, ours: Facts) -> bool:
    return _drop_flit_members(flit, ours, lambda member: member.endswith((".pyc", ".pyo")))


# Written out here, not taken from fletching: the list is what the tests expect of it.
_TOOL_FOLDERS = {
    ".git", ".hg", ".svn", ".bzr", ".tox", ".nox", ".mypy_cache", ".pytest_cache",
    ".ruff_cache", ".eggs", "node_modules",
}  # fmt: skip


def _tool_folders(case: Case, flit: Facts, ours: Facts) -> bool:
    venvs = {
        m.rsplit("/", 1)[0] + "/"
        for key in ("wheel:members", "sdist:members", "installed:files")
        for m in flit.get(key, ())
        if m.endswith("/pyvenv.cfg")
    }

    def left_out(member: str) -> bool:
        folders = member.split("/")[:-1]
        return bool(_TOOL_FOLDERS & set(folders)) or any(member.startswith(v) for v in venvs)

    return _drop_flit_members(flit, ours, left_out)


def _links_as_files(case: Case, flit: Facts, ours: Facts) -> bool:
    import posixpath

    changed = False
    for key in [k for k in flit if k.startswith("sdist:link:")]:
        rel = key[len("sdist:link:") :]
        target = posixpath.normpath(posixpath.join(posixpath.dirname(rel), flit[key]))
        content = flit.get(f"sdist:member:{target}")
        if content is None or ours.get(f"sdist:member:{rel}") != content:
            continue
        changed = True
        del flit[key]
        flit[f"sdist:member:{rel}"] = content
        mine = {mode for name, mode in ours["sdist:modes"] if name == rel}
        flit["sdist:modes"] = frozenset(
            {(n, m) for n, m in flit["sdist:modes"] if n != rel} | {(rel, m) for m in mine}
        )
    return changed


DIFFERENCES: tuple[Difference, ...] = (
    Difference(
        "never-packs-bytecode",  # first: the other entries compare member lists
        "fletching never packs .pyc/.pyo files; flit's default sdist exclude '**.pyc' only "
        "matches at the top level, so it packs bytecode found in included folders.",
        _never_bytecode,
    ),
    Difference(
        "leaves-out-tool-folders",  # early too: it changes member lists
        "A tool's cache or state folder (.mypy_cache, node_modules, .git, ...) or a virtual "
        "environment inside the package: flit packs it, fletching leaves it out with a "
        "warning. (Both leave out __pycache__.)",
        _tool_folders,
    ),
    Difference(
        "sdist-links-as-files",
        "A symbolic link inside the project (to a file inside it) goes into flit's sdist as a "
        "link, into fletching's as a regular file holding the target's content: an sdist "
        "unpacks the same everywhere, Windows included.",
        _links_as_files,
    ),
    Difference(
        "no-empty-entry-point-groups",  # before record-format: it drops a RECORD row
        "An empty [project.scripts], [project.gui-scripts] or [project.entry-points.<group>] "
        "table makes flit write an empty [group] section (and an entry_points.txt holding "
        "nothing else); fletching leaves out groups without entry points, and the file when "
        "none is left.",
        _empty_entry_point_groups,
    ),
    Difference(
        "wheel-tag-py3-only",
        "flit tags a wheel py2.py3-none-any unless requires-python has a clause like '>=3...'; "
        "fletching only builds Python 3 wheels and always writes py3-none-any (file name and "
        "WHEEL Tag lines).",
        _wheel_tag,
    ),
    Difference(
        "metadata-version-lowest",
        "flit always writes Metadata-Version: 2.5; fletching writes the lowest version that "
        "defines every field it writes (2.1, 2.2 for PKG-INFO, 2.4 with License-Expression or "
        "License-File, 2.5 with Import-Name/Import-Namespace), so older tools can read it.",
        _metadata_version,
    ),
    Difference(
        "import-names-when-declared",
        "flit always writes Import-Name (and Import-Namespace for namespace portions); "
        "fletching writes them only when the project sets import-names/import-namespaces in "
        "[project] or lists them in dynamic (PEP 794 makes them optional).",
        _import_fields,
    ),
    Difference(
        "wheel-generator",
        "WHEEL Generator names the backend: 'flit 4.2.0' versus 'fletching <version>'.",
        _generator,
    ),
    Difference(
        "record-format",
        "flit's RECORD uses CRLF line endings (csv default) and zip order; fletching's uses LF "
        "and sorted order. The rows themselves (path, hash, size) are compared.",
        _record_format,
    ),
    Difference(
        "entry-points-format",
        "flit writes 'name=value' in entry_points.txt, fletching 'name = value'; both parse to "
        "the same entry points, which are compared.",
        _entry_points_format,
    ),
    Difference(
        "license-text-field",
        "For the legacy license = {text = ...} table flit writes nothing; fletching keeps the "
        "text as a License: field, as core metadata intends.",
        _license_text,
    ),
    Difference(
        "summary-from-docstring-stripped",
        "A Summary taken from the module docstring keeps trailing whitespace in flit; fletching "
        "strips it.",
        _summary_whitespace,
    ),
    Difference(
        "requirement-spelling",
        "flit copies requirement strings verbatim and appends extras as "
        "'req ; extra == \"x\" and (m)'; fletching writes packaging's normal form, "
        "'req; (m) and extra == \"x\"'. Requirements are compared parsed: name, extras, "
        "specifier, URL and the marker's and/or structure.",
        _requirement_spelling,
    ),
    Difference(
        "readme-body-verbatim",
        "flit writes the readme followed by one more newline as the description body; "
        "fletching writes the readme text as it is (adding a final newline only if missing).",
        _readme_body,
    ),
    Difference(
        "empty-keywords-omitted",
        "For keywords = [] flit writes an empty 'Keywords: ' field; fletching omits it.",
        _empty_keywords,
    ),
    Difference(
        "sdist-pkg-info-order",
        "flit adds PKG-INFO as the sdist's last member; fletching sorts all members. Only the "
        "order differs.",
        _pkg_info_last,
    ),
)


# Samples flit_core cannot build as written. The comparison builds flit's copy
# with the listed rename applied to pyproject.toml text instead.
FLETCHING_ONLY: dict[str, tuple[str, tuple[str, str]]] = {
    "fletching-tool-table": (
        "configured with [tool.fletching.*] tables, which flit does not read; flit builds a copy "
        "with the tables renamed to [tool.flit.*]",
        ("[tool.fletching.", "[tool.flit."),
    ),
}
