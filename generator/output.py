"""Output folders written whole or not at all, and never a folder this project did not write.

A build fills a new folder beside the target and swaps it in only when it has succeeded, so a
server reading the target never sees it empty or half-written, and a failed or killed build leaves
the previous output as it was. A folder that holds anything but this project's own output is
refused, not replaced: `python -m generator markdown .` must not delete a working copy.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import shutil
import tempfile
from pathlib import Path

#: Written into every output folder: the files this project put there, one per line.
MANIFEST = ".kb-site-output"
#: Left in a folder while it is being filled: the pid of the process filling it.
_BUILDING = ".kb-site-building"


class OutputError(Exception):
    """The output folder cannot be used; the message says why and what to do."""


def _files(folder: Path) -> set[str]:
    return {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file() or p.is_symlink()}


def check_target(target: Path) -> None:
    """Refuse a target that exists and holds anything but this project's previous output."""
    if target.is_symlink() or (target.exists() and not target.is_dir()):
        raise OutputError(f"{target} is not a folder; choose a folder for the output")
    if not target.exists() or not any(target.iterdir()):
        return
    manifest = target / MANIFEST
    if not manifest.is_file() and _legacy_site(target):
        return
    if not manifest.is_file():
        raise OutputError(
            f"{target} already holds files that were not written by this project; "
            "choose a new or empty folder (nothing was changed)"
        )
    ours = set(manifest.read_text(encoding="utf-8").splitlines()) | {MANIFEST}
    foreign = sorted(_files(target) - ours)
    if foreign:
        raise OutputError(
            f"{target} holds files this project did not write (e.g. {foreign[0]}); "
            "move them away or choose another folder (nothing was changed)"
        )


def _legacy_site(folder: Path) -> bool:
    """A site built by this project before it kept a manifest: Material's own files are there."""
    return (folder / "search" / "search_index.json").is_file() and (folder / "sitemap.xml").is_file()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def sweep(target: Path) -> None:
    """Remove staging folders beside `target` left by builds that were killed (their process is gone)."""
    for stale in target.parent.glob(f".{target.name}-building-*"):
        marker = stale / _BUILDING
        try:
            pid = int(marker.read_text())
        except (OSError, ValueError):
            continue  # not ours, or not yet marked: leave it
        if not _alive(pid):
            shutil.rmtree(stale, ignore_errors=True)


def staging(target: Path) -> Path:
    """A new, empty folder beside `target` on the same file system, marked as being filled."""
    target.parent.mkdir(parents=True, exist_ok=True)
    sweep(target)
    folder = Path(tempfile.mkdtemp(prefix=f".{target.name}-building-", dir=target.parent))
    (folder / _BUILDING).write_text(str(os.getpid()))
    return folder


def _exchange(a: Path, b: Path) -> bool:
    """Swap two folders in one step (Linux renameat2 RENAME_EXCHANGE); False where unsupported."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd, rename_exchange = -100, 2
    return renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange) == 0


def publish(folder: Path, target: Path) -> None:
    """Make the filled staging `folder` the `target`, at once, and remove the old output."""
    (folder / _BUILDING).unlink(missing_ok=True)
    (folder / MANIFEST).write_text("\n".join(sorted(_files(folder) - {MANIFEST})) + "\n", encoding="utf-8")
    if target.exists() and _exchange(folder, target):
        shutil.rmtree(folder)  # the old output, now at the staging path
        return
    old = None
    if target.exists():
        old = target.with_name(f".{target.name}-old-{os.getpid()}")
        target.rename(old)
    folder.rename(target)
    if old is not None:
        shutil.rmtree(old)


def discard(folder: Path) -> None:
    with contextlib.suppress(OSError):
        shutil.rmtree(folder)


def write_pages(pages: dict[str, str] | dict[str, str | bytes], target: Path) -> None:
    """Write the pages to `target` all at once: a new folder is filled, then swapped in.
    Text is written as UTF-8; bytes (an .apkg, a .zip) as they are."""
    target = target.absolute()
    check_target(target)
    folder = staging(target)
    try:
        for path, content in pages.items():
            file = folder / path
            file.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, bytes):
                file.write_bytes(content)
            else:
                file.write_text(content, encoding="utf-8")
        publish(folder, target)
    except BaseException:
        discard(folder)
        raise
