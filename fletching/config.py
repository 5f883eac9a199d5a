"""Load a project from disk: the only reader of pyproject.toml and the files it names.

OS and TOML errors become fletching errors here; validation is the model's job.
"""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Callable, NamedTuple, TypeVar

from . import __version__, discovery, names
from .discovery import Module
from .errors import BuildError, ConfigError, FletchingError, InternalError, NotPrepared, raise_all
from .fields import docstring_summary
from .glob_keys import Match, license_files, sbom_files
from .inside import read_inside
from .metadata import Config, Metadata
from .tree import Tree, similar_file
from .version_file import KEY as VERSION_FILE

if TYPE_CHECKING:
    from .own_keys import VersionSettings
    from .vcs import VcsVersion

T = TypeVar("T")


class Project(NamedTuple):
    """A project ready to build: its config, its modules and its final metadata."""

    root: Path
    config: Config
    # Every module the project ships; the first is the one a dynamic version and
    # description are read from: the one module, or the one [tool.*.module] name
    # picks among several [project] import-names.
    modules: tuple[Module, ...]
    metadata: Metadata
    # The folder prepare_metadata_for_build_* wrote, when the frontend hands it back:
    # the wheel then carries exactly its files (PEP 517).
    prepared: Prepared | None = None
    # The [tool.fletching] sbom-files matches (PEP 770), sorted; no core metadata field
    # names them, so they live here rather than in Metadata.
    sbom_files: tuple[Match, ...] = ()
    # (path, bytes) of files the build makes inside a package, in the wheel and the
    # sdist but never in the source tree: the [tool.fletching.version] file.
    generated: tuple[tuple[str, bytes], ...] = ()
    # The licence files (Metadata.license_files) with the rule that took each one.
    licenses: tuple[Match, ...] = ()

    @property
    def module(self) -> Module:
        """The module a dynamic version and description are read from."""
        return self.modules[0]

    @property
    def dist_info(self) -> str:
        return f"{self.metadata.stem}.dist-info"


def _toml_loads(text: str) -> dict[str, object]:
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - exercised on Python < 3.11
        from ._vendor import tomli as tomllib
    return tomllib.loads(text)


def _where(exc: UnicodeDecodeError) -> str:
    data = exc.object[: exc.start]
    line = data.count(b"\n") + 1
    column = exc.start - (data.rfind(b"\n") + 1) + 1
    return f"byte 0x{exc.object[exc.start]:02x} at line {line}, column {column}"


def read_pyproject(root: Path, raw: bytes | None = None) -> dict[str, object]:
    """Load pyproject.toml; ``raw`` is its content when the caller has read it already."""
    try:
        text = (read_inside(root, "pyproject.toml")[0] if raw is None else raw).decode("utf-8")
    except FileNotFoundError:
        if (root / "flit.ini").is_file():
            raise ConfigError(
                "flit.ini is no longer read; describe the project in a [project] table in "
                "pyproject.toml (https://flit.pypa.io/en/latest/pyproject_toml.html)",
                file="flit.ini",
            ) from None
        raise ConfigError(
            "there is no pyproject.toml in the project folder", file=str(root)
        ) from None
    except UnicodeDecodeError as exc:
        raise ConfigError(
            f"is not valid UTF-8 ({_where(exc)}); save it as UTF-8", file="pyproject.toml"
        ) from exc
    except OSError as exc:
        raise ConfigError(f"cannot be read: {exc.strerror}", file="pyproject.toml") from exc
    try:
        return _toml_loads(text)
    except RecursionError:
        raise ConfigError("invalid TOML: nested too deeply", file="pyproject.toml") from None
    except ValueError as exc:  # tomllib.TOMLDecodeError is a ValueError
        detail = str(exc)
        where = re.search(r"\s*\(at line (\d+), column (\d+)\)$", detail)
        key = None
        if where:
            detail = detail[: where.start()]
            key = f"line {where.group(1)}, column {where.group(2)}"
        elif detail.endswith("(at end of document)"):
            detail, key = detail[: -len("(at end of document)")].rstrip(), "end of file"
        raise ConfigError(f"invalid TOML: {detail}", file="pyproject.toml", key=key) from exc


def load_config(root: Path) -> Config:
    from . import model  # here, not above: get_requires_for_build_* validates nothing

    return model.parse_pyproject(read_pyproject(root))


def module_names(config: Config) -> list[tuple[str, str]]:
    """(import name, key it comes from) of each module to ship, the one to read a
    dynamic version or description from first.

    One module needs no configuration: flit's name, derived from the distribution
    name, or [tool.flit.module] name. Several are listed in [project] import-names
    (PEP 794); flit_core refuses a list that is not exactly its one module, so a
    project it builds means here what it means there.
    """
    meta, tool = config.metadata, config.tool
    listed = []
    if "import-names" not in meta.dynamic:
        for i, entry in enumerate(meta.import_names or ()):
            listed.append((entry.split(";")[0].strip(), f"[project] import-names[{i}]"))
    if tool.module is not None:
        own = (tool.module, f"[{tool.table}.module] name")
        if len(listed) < 2:
            return [own]  # complete() checks a single listed name against it
        if tool.module not in {name for name, _ in listed}:
            raise ConfigError(
                f"{tool.module!r} is not one of the modules [project] import-names lists"
                f" ({', '.join(repr(n) for n, _ in listed)}); with several modules this"
                " name only picks the one a dynamic version or description is read from:"
                " name one of them, or add it to import-names",
                file="pyproject.toml",
                key=own[1],
            )
        return [own, *((n, k) for n, k in listed if n != tool.module)]
    return listed or [(names.import_name_for(meta.name), "[project] name")]


def locate_module(root: Path, config: Config) -> Module:
    """The module a dynamic version or description is read from."""
    name, key = module_names(config)[0]
    return discovery.find_module(root, name, key)


def locate_modules(root: Path, config: Config) -> tuple[Module, ...]:
    """Every module the project ships, the one ``locate_module`` gives first.

    A listed submodule of a listed package (PEP 794 allows "pkg" and "pkg.sub") is
    shipped with the package's files; the metadata keeps both names."""
    declared = _declared_namespaces(config)
    found: list[tuple[Module, str]] = []
    errors: list[FletchingError] = []
    for name, key in module_names(config):
        try:
            module = discovery.find_module(root, name, key, namespace=name in declared)
            found.append((module, key))
        except FletchingError as exc:
            errors.append(exc)
    raise_all(errors)
    inside: set[str] = set()
    for i, (module, key) in enumerate(found):
        for other, other_key in found[:i]:
            sub = _submodule(module, other)
            if sub is not None:
                inside.add(sub.name)
                continue
            problem = _overlap(module, other)
            if problem:
                errors.append(
                    ConfigError(
                        f"{problem}, which {other_key} names already; list each top-level"
                        " module once, by its shortest import name",
                        file="pyproject.toml",
                        key=key,
                    )
                )
    raise_all(errors)
    return tuple(m for m, _ in found if m.name not in inside)


def _declared_namespaces(config: Config) -> set[str]:
    """The names [project] import-namespaces lists (not filled dynamically)."""
    meta = config.metadata
    if "import-namespaces" in meta.dynamic:
        return set()
    return {entry.split(";")[0].strip() for entry in meta.import_namespaces or ()}


def _submodule(module: Module, other: Module) -> Module | None:
    """The one of two listed modules that is a submodule of the other package, by
    its name and its files: the package's files carry it."""
    for outer, inner in ((other, module), (module, other)):
        if (
            outer.is_package
            and inner.name.startswith(outer.name + ".")
            and inner.path.startswith(outer.path + "/")
        ):
            return inner
    return None


def _overlap(module: Module, other: Module) -> str | None:
    """How ``module`` shares files with ``other``, if it does."""
    if module.path == other.path:
        return f"{module.name!r} is {module.path!r}, the same files as {other.name!r}"
    for outer, inner in ((other, module), (module, other)):
        if outer.is_package and inner.path.startswith(outer.path + "/"):
            return (
                f"{module.name!r} ({module.path}) is "
                + ("inside" if inner is module else "the folder holding")
                + f" {other.name!r} ({other.path})"
            )
    return None


def _read_text(root: Path, relpath: str, key: str) -> str:
    """A UTF-8 text file with its line endings made '\\n', so that a checkout with CRLF
    endings (git's autocrlf on Windows) gives the same metadata."""
    text = _read_bytes_as_text(root, relpath, key)
    return text.replace("\r\n", "\n").replace("\r", "\n")


_BOM = "\ufeff"


def _bom_warning(relpath: str) -> str:
    """A byte-order mark would open the long description: docutils then finds the
    title's underline too short, and the index does not render the page."""
    return (
        f"pyproject.toml: [project] readme: {relpath} starts with a UTF-8 byte-order mark,"
        " which is left out of the description; save the file without it"
    )


def _read_bytes_as_text(root: Path, relpath: str, key: str) -> str:
    try:
        return read_inside(root, relpath)[0].decode("utf-8")
    except FileNotFoundError:
        raise ConfigError(
            f"the file {relpath!r} does not exist{similar_file(root, relpath)}",
            file="pyproject.toml",
            key=key,
        ) from None
    except IsADirectoryError:
        raise ConfigError(
            f"{relpath!r} is a folder, not a file", file="pyproject.toml", key=key
        ) from None
    except UnicodeDecodeError as exc:
        raise ConfigError(
            f"the file {relpath!r} is not valid UTF-8 ({_where(exc)}); save it as UTF-8",
            file="pyproject.toml",
            key=key,
        ) from exc
    except OSError as exc:
        raise ConfigError(
            f"cannot read {relpath!r}: {exc.strerror}", file="pyproject.toml", key=key
        ) from exc


def _version_file(config: Config, modules: tuple[Module, ...]) -> str | None:
    """Where the generated version module goes: inside one of the packages, so that
    the wheel installs it with them."""
    settings = config.tool.version
    if settings is None or settings.file is None:
        return None
    packages = [m.path for m in modules if m.is_package]
    if any(settings.file.startswith(path + "/") for path in packages):
        return settings.file
    inside = " or ".join(repr(p + "/") for p in packages) or "a package (a folder)"
    raise ConfigError(
        f"{settings.file!r} is not inside the package the project ships; name a file"
        f" inside {inside}, e.g. {packages[0] if packages else 'src/pkg'}/_version.py",
        file="pyproject.toml",
        key=VERSION_FILE,
    )


def _generate(
    root: Path, version_file: str | None, version: str | None
) -> tuple[tuple[str, bytes], ...]:
    """The generated version module, refused where a file of the project is: packing
    it in that file's place would drop the file (and a module's own code with it).
    A module fletching generated is fine: a wheel built from an sdist finds the
    sdist's copy, maybe written by an older fletching."""
    if version_file is None or version is None:
        return ()
    from .version_file import is_generated, render_version_file

    data = render_version_file(version)
    try:
        found = read_inside(root, version_file)[0]
    except FileNotFoundError:
        found = None  # nothing there, the usual case
    except OSError as exc:  # a folder of that name, say: the archives could hold both
        raise ConfigError(
            f"{version_file!r} cannot be generated: {exc.strerror or exc} there; name a file"
            " that does not exist",
            file="pyproject.toml",
            key=VERSION_FILE,
        ) from None
    if found is not None and not is_generated(found):
        raise ConfigError(
            f"{version_file!r} exists in the project, and the build would pack the generated"
            " module in its place; name a file that does not exist (the build writes it into"
            " the wheel and the sdist only), or delete this one if an earlier tool generated it",
            file="pyproject.toml",
            key=VERSION_FILE,
        )
    return ((version_file, data),)


def _vcs_version(root: Path, name: str, settings: VersionSettings) -> VcsVersion:
    from .archive import source_date_epoch
    from .vcs import vcs_version

    epoch = source_date_epoch()
    return vcs_version(root, name=name, tag_pattern=settings.tag_pattern, epoch=epoch)


def _check_external_data(root: Path, config: Config) -> None:
    from .schemes import scheme_folders

    raise_all(
        ConfigError(
            f"{folder!r} is not a folder in the project",
            file="pyproject.toml",
            key=f"[{config.tool.table}.external-data] {key}",
        )
        for _, key, folder in scheme_folders(config.tool)
        if not (root / folder).is_dir()
    )


def load_project(root: Path) -> Project:
    """Read, validate and complete everything a build needs, reporting all problems at once."""
    from . import model

    root = root.resolve()
    config = load_config(root)
    meta = config.metadata
    tree = Tree(root)
    errors: list[FletchingError] = []

    def attempt(func: Callable[..., T], *args: object) -> T | None:
        """Run one independent step; collect its errors so that all are reported at once."""
        try:
            return func(*args)
        except FletchingError as exc:
            errors.extend(getattr(exc, "errors", None) or [exc])
            return None

    modules = attempt(locate_modules, root, config)
    module = modules[0] if modules else None
    readme_text = None
    if meta.readme is not None and meta.readme.file is not None:
        readme_text = attempt(_read_text, root, meta.readme.file, "[project] readme")
        if readme_text is not None and readme_text.startswith(_BOM):
            readme_text = readme_text[len(_BOM) :]
            config = config._replace(warnings=(*config.warnings, _bom_warning(meta.readme.file)))
    licenses = attempt(license_files, tree, config)
    sboms = attempt(sbom_files, tree, config)
    attempt(_check_external_data, root, config)
    version_file = attempt(_version_file, config, modules) if modules else None
    from_vcs = config.tool.version if config.version_from_vcs else None
    vcs = attempt(_vcs_version, root, meta.name, from_vcs) if from_vcs is not None else None
    values = summary = None
    if module is not None and config.needs_module_values:
        need_version = config.version_from_module
        need_docstring = "description" in meta.dynamic
        from .module_info import module_values

        if module.is_package and not (root / module.entry_file).is_file():
            # A namespace package (PEP 420) has no file to read them from, and importing
            # it would find an installed package of the same name first.
            wanted = " and ".join(
                k
                for k, needed in (("version", need_version), ("description", need_docstring))
                if needed
            )
            errors.append(
                ConfigError(
                    f"{module.name!r} is a namespace package (it has no {module.entry_file}),"
                    f" so there is no module file to read the {wanted} from; set [project]"
                    f" {wanted}, or add {module.entry_file}",
                    file="pyproject.toml",
                    key="[project] dynamic",
                )
            )
        else:
            values = attempt(module_values, root, module, need_version, need_docstring)
        if values is not None and need_version and values.version is None:
            errors.append(
                BuildError(
                    '[project] dynamic lists "version" but the module has no __version__; '
                    'add __version__ = "1.0" to it, or set [project] version',
                    file=module.entry_file,
                )
            )
        summary = docstring_summary(values.docstring) if values else None
        if values is not None and need_docstring and not summary:
            errors.append(
                BuildError(
                    '[project] dynamic lists "description" but the module has no docstring; '
                    "start the module with a one-line docstring, or set [project] description",
                    file=module.entry_file,
                )
            )
    raise_all(errors)
    if not modules:
        raise InternalError("no module and no error from locate_modules")
    version = vcs.version if vcs is not None else values.version if values else None
    if vcs is not None and vcs.warnings:
        config = config._replace(warnings=config.warnings + vcs.warnings)
    metadata = model.complete(
        config,
        version=version,
        description=summary,
        readme_text=readme_text,
        license_files=tuple(m.path for m in licenses or ()),
        module_names=tuple(m.name for m in modules),
        namespace_packages=tuple(
            m.name for m in modules if m.is_package and not (root / m.entry_file).is_file()
        ),
        source=vcs.source if vcs is not None else modules[0].entry_file,
    )
    return Project(
        root,
        config,
        modules,
        metadata,
        sbom_files=sboms or (),
        generated=_generate(root, version_file, metadata.version),
        licenses=licenses or (),
    )


class Prepared(NamedTuple):
    """The .dist-info folder prepare_metadata_for_build_* wrote, handed back by a frontend."""

    folder: str
    files: tuple[tuple[str, bytes], ...]  # (path inside the folder, bytes), sorted


def load_prepared(root: Path, metadata_directory: str) -> Project:
    """The project for build_wheel/build_editable from the .dist-info folder that
    prepare_metadata_for_build_* wrote earlier in the same build.

    PEP 517 requires the wheel to carry exactly that metadata. Reusing it also skips
    validating [project] a second time, which (importing packaging) is most of the
    time a small build takes. Only what choosing the files needs is read here: the
    tool table and the name the module is found by. Raises NotPrepared when this
    version of fletching did not write the folder.
    """
    folder = os.fspath(metadata_directory)
    stem, _, suffix = os.path.basename(os.path.normpath(folder)).rpartition(".")
    # Neither the normalised name nor the normal-form version contains '-'.
    file_name, _, version = stem.rpartition("-")
    if suffix != "dist-info" or not file_name or not version:
        raise NotPrepared("its name is not <name>-<version>.dist-info")
    try:
        files = _read_folder(folder, "")
    except (OSError, ValueError) as exc:  # ValueError: a NUL in the path
        raise NotPrepared(f"it cannot be read ({exc})") from exc
    found = dict(files)
    from .core_metadata import read_headers, render_wheel_file

    if found.get("WHEEL") != render_wheel_file().encode("utf-8") or "METADATA" not in found:
        raise NotPrepared(f"fletching {__version__} did not write it")
    headers = read_headers(found["METADATA"])
    root = root.resolve()
    data = read_pyproject(root)
    project = data.get("project")
    if not isinstance(project, dict) or not isinstance(name := project.get("name"), str):
        raise NotPrepared("pyproject.toml has no [project] name to check it against")
    if (headers.get("Name"), headers.get("Version")) != (name, version):
        raise BuildError(
            f"the metadata folder the frontend passed is for {headers.get('Name')!r} "
            f"{headers.get('Version')!r}, not for this project ({name!r}); it must be the "
            "folder prepare_metadata_for_build_wheel wrote for it (PEP 517)",
            file=folder,
        )
    from .partial import prepared_config

    config = prepared_config(name, file_name, version, data.get("tool", {}), project)
    _check_external_data(root, config)
    modules = locate_modules(root, config)
    return Project(
        root,
        config,
        modules,
        config.metadata,
        Prepared(folder, files),
        generated=_generate(root, _version_file(config, modules), version),
    )


def _read_folder(folder: str, prefix: str) -> tuple[tuple[str, bytes], ...]:
    """Every file below ``folder`` but RECORD (the wheel gets its own), sorted by path.

    fletching writes only regular files and folders there; anything else means
    somebody else's folder."""
    files: list[tuple[str, bytes]] = []
    with os.scandir(folder) as entries:
        for entry in entries:
            rel = prefix + entry.name
            if entry.is_symlink():
                raise NotPrepared(f"{rel!r} is a symbolic link")
            if entry.is_dir() and rel != "RECORD":
                files += _read_folder(entry.path, rel + "/")
            elif entry.is_file():
                if rel != "RECORD":
                    with open(entry.path, "rb") as f:
                        files.append((rel, f.read()))
            else:
                raise NotPrepared(f"{rel!r} is not a regular file")
    return tuple(sorted(files))
