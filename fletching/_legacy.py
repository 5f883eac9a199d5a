"""Translate flit's old ``[tool.flit.metadata]`` tables into ``[project]`` TOML.

fletching does not build from the old format; it shows the user what to write
instead, so that switching takes one copy and paste.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any


def _toml_string(value: str) -> str:
    escaped = value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return f'"{escaped}"'


def _toml_value(value: object) -> str:
    if isinstance(value, str):
        return _toml_string(value)
    if isinstance(value, list):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{_key(k)} = {_toml_value(v)}" for k, v in value.items()) + " }"
    return str(value).lower() if isinstance(value, bool) else str(value)


def _key(name: str) -> str:
    return name if re.match(r"^[A-Za-z0-9_-]+$", name) else _toml_string(name)


def convert_legacy(flit: Mapping[str, object]) -> str:
    """Return the ``[project]`` (and ``[tool.flit.module]``) TOML for old flit tables."""
    meta = flit.get("metadata")
    if not isinstance(meta, dict):
        meta = {}
    module = meta.get("module")
    project: dict[str, Any] = {}
    name = meta.get("dist-name", module)
    if isinstance(name, str):
        project["name"] = name
    project["dynamic"] = ["version", "description"]
    if isinstance(meta.get("description-file"), str):
        project["readme"] = meta["description-file"]
    if isinstance(meta.get("requires-python"), str):
        project["requires-python"] = meta["requires-python"]
    if isinstance(meta.get("license"), str):
        project["license"] = meta["license"]
    for role in ("author", "maintainer"):
        person = {
            k: meta[f"{role}{suffix}"]
            for k, suffix in (("name", ""), ("email", "-email"))
            if isinstance(meta.get(f"{role}{suffix}"), str)
        }
        if person:
            project[f"{role}s"] = [person]
    if isinstance(meta.get("keywords"), str):
        project["keywords"] = [w for w in re.split(r"[,\s]+", meta["keywords"]) if w]
    for key in ("classifiers",):
        if isinstance(meta.get(key), list):
            project[key] = meta[key]
    if isinstance(meta.get("requires"), list):
        project["dependencies"] = meta["requires"]
    lines = ["[project]"] + [f"{_key(k)} = {_toml_value(v)}" for k, v in project.items()]
    extras = dict(meta["requires-extra"]) if isinstance(meta.get("requires-extra"), dict) else {}
    if isinstance(meta.get("dev-requires"), list):
        extras.setdefault("dev", meta["dev-requires"])
    if extras:
        lines += ["", "[project.optional-dependencies]"]
        lines += [f"{_key(k)} = {_toml_value(v)}" for k, v in extras.items()]
    urls = dict(meta["urls"]) if isinstance(meta.get("urls"), dict) else {}
    if isinstance(meta.get("home-page"), str):
        urls = {"Homepage": meta["home-page"], **urls}
    if urls:
        lines += ["", "[project.urls]"] + [f"{_key(k)} = {_toml_value(v)}" for k, v in urls.items()]
    scripts = flit.get("scripts")
    if isinstance(scripts, dict) and scripts:
        lines += ["", "[project.scripts]"] + [
            f"{_key(k)} = {_toml_value(v)}" for k, v in scripts.items()
        ]
    entrypoints = flit.get("entrypoints")
    if isinstance(entrypoints, dict):
        for group, points in entrypoints.items():
            if isinstance(points, dict):
                lines += ["", f"[project.entry-points.{_key(group)}]"]
                lines += [f"{_key(k)} = {_toml_value(v)}" for k, v in points.items()]
    if isinstance(module, str) and isinstance(name, str) and module != name:
        lines += ["", "[tool.flit.module]", f"name = {_toml_value(module)}"]
    return "\n".join("    " + line if line else "" for line in lines)
