"""The plain fields of ``[project]``: version, description, readme, keywords,
classifiers, urls and import names. Each parser takes the value and its key and
returns the field's value, or None after recording an error."""

from __future__ import annotations

import posixpath
import re

from ._validate import Collector, close_match, is_import_name, quote_key, toml_string
from .metadata import ImportName, Readme

README_TYPES = {".md": "text/markdown", ".rst": "text/x-rst", ".txt": "text/plain"}
# Any URI (RFC 3986): a scheme, a colon, no white space.
_URL = r"^[A-Za-z][A-Za-z0-9+.-]*:\S+$"


def parse_version_field(c: Collector, value: object, key: str) -> str | None:
    """``[project] version``, in its normal form (PEP 440)."""
    text = c.typed(value, str, key)
    if text is None:
        return None
    version = parse_version(text)
    if version is None:
        c.error(
            key, f"{text!r} is not a valid version (PEP 440), e.g. '1.0', '2.1.0rc1', '0.3.dev2'"
        )
        return None
    return version


def parse_version(text: str) -> str | None:
    """A PEP 440 version in its normal form, or None."""
    from ._vendor.packaging.version import Version

    try:
        return str(Version(text.strip()))
    except ValueError:  # InvalidVersion, or int() refusing a 5000-digit part
        return None


def docstring_summary(docstring: str | None) -> str | None:
    """The first line of a module docstring, which flit makes the Summary."""
    lines = (docstring or "").strip().splitlines()
    return lines[0].strip() if lines else None


def parse_description(c: Collector, value: object, key: str) -> str | None:
    text = c.typed(value, str, key)
    if text is None or not c.single_line(text, key):
        return None
    return text


def parse_readme(c: Collector, value: object, key: str) -> Readme | None:
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
        if path is not None and content_type is None:
            # The pyproject specification: a tool MUST raise an error; flit_core does.
            c.error(f"{key}.content-type", _content_type_required(path))
            return None
        return None if path is None else _readme_file(c, path, content_type, f"{key}.file")
    text = c.typed(table["text"], str, f"{key}.text")
    if text is None:
        return None
    if content_type is None:
        c.error(
            f"{key}.content-type", "is required with 'text', e.g. content-type = \"text/markdown\""
        )
        return None
    return Readme(content_type=content_type, text=text)


def _content_type_required(path: str) -> str:
    guessed = README_TYPES.get(posixpath.splitext(path)[1].lower())
    file = toml_string(path)
    if guessed is None:
        others = " or ".join(f'"{t}"' for t in README_TYPES.values() if t != "text/plain")
        return (
            "is required in a readme table (pyproject specification); write readme ="
            f' {{file = {file}, content-type = "text/plain"}}, or {others}'
        )
    return (
        "is required in a readme table (pyproject specification); write readme ="
        f' {{file = {file}, content-type = "{guessed}"}}, or readme = {file} to take the'
        " type from the extension"
    )


def _readme_file(c: Collector, path: str, content_type: str | None, key: str) -> Readme | None:
    normal = c.relative_path(path, key)
    if normal is None:
        return None
    if content_type is None:
        suffix = posixpath.splitext(path)[1].lower()
        content_type = README_TYPES.get(suffix)
        if content_type is None:
            # flit builds such projects too; the readme goes in without a type.
            c.warn(
                key,
                f"cannot tell the content type of {path!r} from its extension "
                "(.md, .rst or .txt), so none is recorded; write readme = "
                f'{{file = "{path}", content-type = "text/markdown"}} to choose one',
            )
    return Readme(content_type=content_type, file=normal)


def parse_keywords(c: Collector, value: object, key: str) -> tuple[str, ...]:
    keywords = []
    for item_key, word in c.string_list(value, key) or []:
        if c.single_line(word, item_key):
            if "," in word:
                # flit_core writes it as it is: the index reads several keywords.
                parts = [part.strip() for part in word.split(",") if part.strip()]
                c.warn(
                    item_key,
                    f"{word!r} contains a comma, which separates"
                    f" keywords in core metadata, so it is recorded as {len(parts)} keywords;"
                    f" write keywords = [{', '.join(toml_string(p) for p in parts)}]",
                )
            keywords.append(word)
    return tuple(keywords)


def parse_classifiers(c: Collector, value: object, key: str) -> tuple[str, ...]:
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
    return tuple(found)


def _newer_list_knows(text: str) -> bool:
    """Whether an installed trove-classifiers, newer than fletching's copy, has ``text``:
    a project that adds it to [build-system] requires can use a new classifier at once."""
    import importlib.util

    if importlib.util.find_spec("trove_classifiers") is None:
        return False
    from trove_classifiers import classifiers

    return text in classifiers


def parse_urls(c: Collector, value: object, key: str) -> tuple[tuple[str, str], ...]:
    urls = []
    for item_key, label, url in c.string_table(value, key) or []:
        if (
            len(label) > 32
            or "," in label
            or not label.strip()
            or not c.single_line(label, item_key)
        ):
            c.error(item_key, f"the label {label!r} must be 1 to 32 characters without commas")
        elif not re.fullmatch(_URL, url) or not c.single_line(url, item_key):
            c.error(item_key, f"{url!r} is not a URL, e.g. 'https://example.org/project'")
        else:
            if not url.lower().startswith(("https://", "http://")):
                # No standard forbids mailto: or urn:, and flit_core writes them.
                c.warn(
                    item_key,
                    f"{url!r} is not an http(s) URL, and PyPI refuses"
                    " other schemes in Project-URL; write an https:// URL, e.g."
                    f' {quote_key(label)} = "https://example.org/contact"',
                )
            urls.append((label, url))
    return tuple(urls)


def import_name(entry: str) -> ImportName | None:
    """An entry of ``import-names`` or ``import-namespaces`` (PEP 794): a name, maybe
    followed by '; private'; None when it is not one."""
    name, sep, rest = entry.partition(";")
    if not is_import_name(name.strip()) or (sep and rest.strip() != "private"):
        return None
    return ImportName(name.strip(), private=bool(sep))


def parse_import_names(c: Collector, value: object, key: str) -> tuple[ImportName, ...]:
    """``import-names`` or ``import-namespaces`` (PEP 794)."""
    names = []
    for item_key, entry in c.string_list(value, key) or []:
        parsed = import_name(entry)
        if parsed is None:
            c.error(
                item_key,
                f"{entry!r} is not an import name, e.g. 'pkg', 'pkg.sub' or 'pkg; private'",
            )
        else:
            names.append(parsed)
    return tuple(names)
