"""Re-create ``fletching/_vendor/`` from the releases pinned in its ``vendor.txt``.

Usage (``tox -e vendor`` runs the first)::

    python tests/vendoring/vendor.py            # rewrite the vendored tree
    python tests/vendoring/vendor.py --check    # exit 1 if the tree differs from the pins
    python tests/vendoring/vendor.py --relock   # after editing a version: record the new hashes

pip downloads each pinned ``py3-none-any`` wheel and checks it against the sha256 in
``vendor.txt``. Every file of the wheel is checked against the wheel's own RECORD, then
the library's package folder is copied byte for byte, less the files ``vendor.txt``
lists as ``drop <path>: <reason>``, and its licence files go to ``licenses/<project>/``.
Then each patch ``vendor.txt`` lists as ``patch <file>: <reason>`` (a unified diff in
``tests/vendoring/patches/``) is applied, exactly, with no fuzz. ``vendor.sha256``
lists the sha256 of every vendored file (``sha256sum -c`` reads it);
``tests/vendoring/released.sha256`` those of the same files as released, before the
patches. The offline test ``tests/test_vendored.py`` checks both. The same pins and
patches always give the same tree.
"""

from __future__ import annotations

import argparse
import base64
import csv
import hashlib
import io
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Container, Mapping, Sequence
from pathlib import Path
from typing import NamedTuple

TOOL = Path(__file__).resolve().parent
VENDOR = TOOL.parent.parent / "fletching" / "_vendor"
PATCHES = TOOL / "patches"
RELEASED = TOOL / "released.sha256"
PINS = "vendor.txt"
MANIFEST = "vendor.sha256"
# Written by hand, not by this tool.
KEPT = frozenset({"__init__.py", PINS})

_PIN = re.compile(r"^(?P<name>[A-Za-z0-9._-]+)==(?P<version>\S+)(\s+--hash=sha256:(?P<hash>\w+))?$")
# "drop packaging/pylock.py: why", "patch utils.patch: why"
_LISTED = re.compile(r"^(?P<kind>drop|patch) (?P<what>\S+): (?P<reason>\S.*)$")


class Pin(NamedTuple):
    name: str
    version: str
    sha256: str | None


class Listing(NamedTuple):
    pins: list[Pin]
    dropped: dict[str, str]  # path under _vendor/: reason
    patches: dict[str, str]  # file in tests/vendoring/patches/: reason


def read_listing(text: str) -> Listing:
    listing = Listing([], {}, {})
    for number, line in enumerate(text.splitlines(), 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        listed = _LISTED.match(line)
        if listed:
            kind = listing.dropped if listed["kind"] == "drop" else listing.patches
            kind[listed["what"]] = listed["reason"]
            continue
        match = _PIN.match(line)
        if not match:
            raise SystemExit(
                f"{PINS}, line {number}: expected 'name==version --hash=sha256:...',"
                " 'drop <path>: <reason>' or 'patch <file>: <reason>'"
            )
        listing.pins.append(Pin(match["name"], match["version"], match["hash"]))
    return listing


def read_pins(text: str) -> list[Pin]:
    return read_listing(text).pins


def _wheel_name(name: str) -> str:
    return re.sub(r"[-_.]+", "_", name).lower()


def download(pins: Sequence[Pin], dest: Path, *, check_hashes: bool = True) -> dict[Pin, Path]:
    """The pinned pure-Python wheels, as pip verifies them against the recorded hashes."""
    requirements = dest / "requirements.txt"
    lines = [
        f"{pin.name}=={pin.version}" + (f" --hash=sha256:{pin.sha256}" if check_hashes else "")
        for pin in pins
    ]
    requirements.write_text("\n".join(lines) + "\n")
    command = [sys.executable, "-m", "pip", "download", "--no-deps", "--disable-pip-version-check"]
    command += ["--only-binary", ":all:", "--platform", "any", "--implementation", "py"]
    command += ["--python-version", "3.9", "--dest", str(dest), "-r", str(requirements)]
    if check_hashes:
        command.append("--require-hashes")
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
    found = {}
    for pin in pins:
        (wheel,) = dest.glob(f"{_wheel_name(pin.name)}-{pin.version}-py3-none-any.whl")
        found[pin] = wheel
    return found


def _record_hash(data: bytes) -> str:
    digest = hashlib.sha256(data).digest()
    return "sha256=" + base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def unpack(pin: Pin, wheel: Path, dropped: Container[str] = ()) -> dict[str, bytes]:
    """The files to vendor from one wheel, each checked against the wheel's RECORD."""
    files: dict[str, bytes] = {}
    with zipfile.ZipFile(wheel) as archive:
        names = [name for name in archive.namelist() if not name.endswith("/")]
        (record,) = [name for name in names if re.fullmatch(r"[^/]+\.dist-info/RECORD", name)]
        dist_info = record.split("/", 1)[0]
        rows = csv.reader(io.StringIO(archive.read(record).decode()))
        hashes = {row[0]: row[1] for row in rows if row}
        for name in names:
            if name == record:
                continue
            data = archive.read(name)
            if hashes.get(name) != _record_hash(data):
                raise SystemExit(f"{wheel.name}: {name} does not match the wheel's RECORD")
            top, _, rest = name.partition("/")
            if top == dist_info:
                if rest.startswith("licenses/"):
                    files[f"licenses/{_wheel_name(pin.name)}/{rest[len('licenses/') :]}"] = data
            elif top.endswith(".data"):
                raise SystemExit(f"{wheel.name}: {name}: a .data folder cannot be vendored")
            elif name not in dropped:
                files[name] = data
    return files


def manifest(files: Mapping[str, bytes]) -> bytes:
    lines = [f"{hashlib.sha256(files[name]).hexdigest()}  {name}\n" for name in sorted(files)]
    return "".join(lines).encode()


_HUNK = re.compile(r"^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@")


def apply_patch(files: dict[str, bytes], patch: str, name: str, reverse: bool = False) -> None:
    """Apply a unified diff (``--- a/<path>``, ``+++ b/<path>``, paths under _vendor/)
    to ``files``, exactly: a hunk whose lines are not where it says stops the tool."""
    lines = patch.splitlines(keepends=True)
    i = 0
    while i < len(lines):
        if not (lines[i].startswith("--- ") and i + 1 < len(lines)):
            i += 1
            continue
        target = lines[i + 1][4:].split("\t")[0].strip().removeprefix("b/")
        if target not in files:
            raise SystemExit(f"patches/{name}: {target} is not a vendored file")
        old = files[target].decode("utf-8").splitlines(keepends=True)
        new: list[str] = []
        done = 0
        i += 2
        while i < len(lines) and (hunk := _HUNK.match(lines[i])):
            start = int(hunk[3] if reverse else hunk[1])
            counts = [int(hunk[2] or 1), int(hunk[4] or 1)]
            if reverse:
                counts.reverse()
            before: list[str] = []
            after: list[str] = []
            i += 1
            while len(before) < counts[0] or len(after) < counts[1]:
                tag, text = lines[i][:1], lines[i][1:]
                if lines[i] == "\n":  # a blank context line an editor trimmed
                    tag, text = " ", "\n"
                if reverse and tag in "+-":
                    tag = "+" if tag == "-" else "-"
                if tag in " -":
                    before.append(text)
                if tag in " +":
                    after.append(text)
                i += 1
            begin = start - 1 if counts[0] else start
            if begin < done or old[begin : begin + len(before)] != before:
                raise SystemExit(f"patches/{name}: does not apply to {target} at line {start}")
            new += old[done:begin] + after
            done = begin + len(before)
        files[target] = "".join(new + old[done:]).encode("utf-8")


def vendored_tree(listing: Listing) -> tuple[dict[str, bytes], bytes]:
    """Every file the tool manages under _vendor/, by path relative to it; and the
    manifest of the same files as released (before the patches)."""
    with tempfile.TemporaryDirectory() as tmp:
        wheels = download(listing.pins, Path(tmp))
        files: dict[str, bytes] = {}
        released_names: set[str] = set()
        for pin in listing.pins:
            files.update(unpack(pin, wheels[pin], listing.dropped))
            with zipfile.ZipFile(wheels[pin]) as archive:
                released_names.update(archive.namelist())
    for path in sorted(set(listing.dropped) - released_names):
        raise SystemExit(f"{PINS}: drop {path}: no pinned release has this file")
    released = manifest(files)
    for name in listing.patches:
        apply_patch(files, (PATCHES / name).read_text(encoding="utf-8"), name)
    files[MANIFEST] = manifest(files)
    return files, released


def current_tree(vendor: Path) -> dict[str, bytes]:
    return {
        path.relative_to(vendor).as_posix(): path.read_bytes()
        for path in sorted(vendor.rglob("*"))
        if path.is_file()
        and "__pycache__" not in path.parts
        and path.relative_to(vendor).as_posix() not in KEPT
    }


def write_tree(vendor: Path, files: Mapping[str, bytes]) -> None:
    for entry in vendor.iterdir():
        if entry.name in KEPT:
            continue
        if entry.is_dir():
            shutil.rmtree(entry)
        else:
            entry.unlink()
    for name, data in sorted(files.items()):
        path = vendor / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)


def relock(vendor: Path, pins: Sequence[Pin]) -> None:
    """Record the sha256 of each pinned wheel as the index serves it now."""
    text = (vendor / PINS).read_text()
    with tempfile.TemporaryDirectory() as tmp:
        wheels = download(pins, Path(tmp), check_hashes=False)
        for pin in pins:
            digest = hashlib.sha256(wheels[pin].read_bytes()).hexdigest()
            line = re.compile(rf"^{re.escape(pin.name)}=={re.escape(pin.version)}\b.*$", re.M)
            text = line.sub(f"{pin.name}=={pin.version} --hash=sha256:{digest}", text)
    (vendor / PINS).write_text(text)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--check", action="store_true", help="compare, do not write")
    group.add_argument("--relock", action="store_true", help="record the wheels' hashes")
    parser.add_argument("--vendor", type=Path, default=VENDOR, help="default %(default)s")
    args = parser.parse_args(argv)
    listing = read_listing((args.vendor / PINS).read_text())
    if args.relock:
        relock(args.vendor, listing.pins)
        listing = read_listing((args.vendor / PINS).read_text())
    wanted, released = vendored_tree(listing)
    if args.check:
        have = current_tree(args.vendor)
        differ = sorted(
            name for name in wanted.keys() | have.keys() if wanted.get(name) != have.get(name)
        )
        for name in differ:
            state = "missing" if name not in have else "extra" if name not in wanted else "changed"
            print(f"vendor: {name}: {state}", file=sys.stderr)
        stale = not RELEASED.is_file() or RELEASED.read_bytes() != released
        if stale:
            print(f"vendor: {RELEASED.name}: changed", file=sys.stderr)
        return 1 if differ or stale else 0
    write_tree(args.vendor, wanted)
    RELEASED.write_bytes(released)
    pins = ", ".join(f"{p.name}=={p.version}" for p in listing.pins)
    print(f"vendor: wrote {len(wanted)} files for {pins}, {len(listing.patches)} patch(es)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
