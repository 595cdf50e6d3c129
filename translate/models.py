"""Argos Translate package management: list, index, install, remove.

Built on ``argostranslate.package`` for the package format and metadata, with
two deliberate differences from ``argostranslate.package.install_from_path``:

* a package is checked (zip CRCs, ``metadata.json``, ``model/model.bin``, a
  tokenizer) and unpacked into a temporary directory first, then renamed into
  place, so a corrupt file never leaves a half-installed package behind;
* nothing here imports ``argostranslate.translate``, which drags in stanza and
  torch (about 1 GB of RAM and 3.5 s) only to clear a cache we never use.

The packages directory is read from ``ARGOS_PACKAGES_DIR`` at call time rather
than at import time, so tests and tools can point it elsewhere.
"""

from __future__ import annotations

import json
import logging
import os
import re
import shutil
import stat
import tempfile
import urllib.error
import urllib.request
import zipfile
from dataclasses import dataclass
from pathlib import Path

from translate.config import max_model_bytes
from translate.errors import ModelError, ModelNotInstalled, NetworkError
from translate.progress import DownloadProgress

log = logging.getLogger("coverage_align")

DEFAULT_INDEX = "https://raw.githubusercontent.com/argosopentech/argospm-index/main/index.json"
NETWORK_TIMEOUT_S = 15.0
MAX_RATIO = 100  # model weights barely compress; a bomb's zeros compress ~1000x
_RATIO_FLOOR = 1024 * 1024  # small text files (metadata, vocabularies) may compress well
_TOP = re.compile(r"[A-Za-z0-9][A-Za-z0-9._+-]{0,127}")


@dataclass(frozen=True)
class ModelInfo:
    """One Argos package, installed or offered by the index."""

    code: str
    from_code: str
    to_code: str
    version: str
    path: Path | None = None
    links: tuple[str, ...] = ()
    target_prefix: str = ""
    test: bool = False  # one of the project's random-weight TEST packages

    @property
    def direction(self) -> str:
        return f"{self.from_code}→{self.to_code}"

    @property
    def key(self) -> str:
        """Identity used by the translation cache and dataset provenance."""
        return f"{self.code}@{self.version}"


def packages_dir() -> Path:
    """Where Argos packages are installed (``ARGOS_PACKAGES_DIR`` or Argos's default)."""
    env = os.environ.get("ARGOS_PACKAGES_DIR")
    if env:
        return Path(env)
    from argostranslate import settings

    return Path(settings.package_data_dir)


def _index_url() -> str:
    base = os.environ.get("ARGOS_PACKAGE_INDEX")
    if not base:
        return DEFAULT_INDEX
    return base if base.endswith(".json") else base.rstrip("/") + "/index.json"


def install_hint(from_code: str, to_code: str) -> str:
    return (
        f"install it with `coverage-align models install {from_code} {to_code}` "
        "or, offline, `coverage-align models install --file "
        f"translate-{from_code}_{to_code}.argosmodel`"
    )


_LANG = re.compile(r"[A-Za-z]{2,3}(?:[_-][A-Za-z0-9]{1,8})?")


def _field(meta: dict, name: str, kind: type | tuple[type, ...], default: object = None) -> object:
    value = meta.get(name, default)
    if value is None:
        return default
    if not isinstance(value, kind) or isinstance(value, bool):
        names = " or ".join(k.__name__ for k in (kind if isinstance(kind, tuple) else (kind,)))
        raise ModelError(f"metadata.json field {name!r} must be a {names}, not {value!r}"[:300])
    return value


def parse_metadata(meta: object, path: Path | None = None) -> ModelInfo:
    """A package's ``metadata.json`` as a ModelInfo, every field we use checked for type and value.

    Raises ModelError naming the field: a package with a wrong field must be refused
    before it is installed, and skipped (not crash every command) once installed.
    """
    from translate.testmarks import is_test_package

    if not isinstance(meta, dict):
        raise ModelError("metadata.json must hold a JSON object")
    _field(meta, "type", str)
    codes = {}
    for name in ("from_code", "to_code"):
        value = _field(meta, name, str, "")
        if not _LANG.fullmatch(str(value)):
            raise ModelError(f"metadata.json field {name!r} must be a language code like 'ko', not {value!r}")
        codes[name] = str(value)
    from_code, to_code = codes["from_code"], codes["to_code"]
    code = str(_field(meta, "code", str, "") or f"translate-{from_code}_{to_code}")
    if not _TOP.fullmatch(code):
        raise ModelError(f"metadata.json field 'code' must be a plain name, not {code!r}"[:300])
    links = _field(meta, "links", list, [])
    if not isinstance(links, list) or not all(isinstance(link, str) for link in links):
        raise ModelError("metadata.json field 'links' must be a list of URLs (strings)")
    return ModelInfo(
        code=code,
        from_code=from_code,
        to_code=to_code,
        version=str(_field(meta, "package_version", str, "")),
        path=path,
        links=tuple(links),
        target_prefix=str(_field(meta, "target_prefix", str, "")),
        test=is_test_package(meta),
    )


def _version_key(version: str) -> tuple:
    from packaging.version import InvalidVersion, Version

    try:
        return (1, Version(version))
    except InvalidVersion:
        return (0, version)


def _scan() -> list[tuple[Path, ModelInfo | None, dict, str]]:
    """Every installed translation package: (folder, info or None if damaged, raw metadata, why)."""
    root = packages_dir()
    if not root.is_dir():
        return []
    found: list[tuple[Path, ModelInfo | None, dict, str]] = []
    for child in sorted(root.iterdir()):
        meta_path = child / "metadata.json"
        if child.name.startswith(".") or not meta_path.is_file():
            continue
        try:
            meta = json.loads(meta_path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue  # a foreign or damaged directory is not ours to judge here
        kind = meta.get("type", "translate") if isinstance(meta, dict) else None
        if not isinstance(meta, dict) or (isinstance(kind, str) and kind != "translate"):
            continue  # not a translation package (a wrong-typed "type" is judged below)
        try:
            found.append((child, parse_metadata(meta, child), meta, ""))
        except ModelError as exc:
            found.append((child, None, meta, str(exc)))
    return found


_warned: set[str] = set()  # one warning per damaged package and process


def list_installed() -> list[ModelInfo]:
    """Installed translation packages, sorted by direction; a damaged one is skipped with a warning."""
    found = []
    for child, info, meta, why in _scan():
        if info is not None:
            found.append(info)
            continue
        direction = (meta.get("from_code"), meta.get("to_code"))
        how = (
            f"`coverage-align models remove {direction[0]} {direction[1]}`"
            if all(isinstance(c, str) and _LANG.fullmatch(c) for c in direction)
            else "deleting the folder"
        )
        line = f"skipping the damaged Argos package {child} ({why}): remove it with {how}"
        if line not in _warned:  # listed again by the same command (find_installed, then the pipeline)
            _warned.add(line)
            log.warning("%s", line)
    return sorted(found, key=lambda m: (m.from_code, m.to_code, _version_key(m.version)))


def find_installed(from_code: str, to_code: str, *, allow_test: bool | None = None) -> ModelInfo:
    """The installed package for a direction, or a ModelError naming the install command.

    TEST packages (random weights) are skipped wherever they are installed unless
    ``allow_test`` (default: ``COVERAGE_ALIGN_TEST_MODELS``, set by ``--test-models``).
    """
    from translate.config import test_models_allowed

    allow = test_models_allowed() if allow_test is None else allow_test
    direction = [m for m in list_installed() if (m.from_code, m.to_code) == (from_code, to_code)]
    matches = [m for m in direction if allow or not m.test]
    if not matches:
        ignored = " (only a TEST package is installed, ignored without --test-models)" if direction else ""
        raise ModelNotInstalled(
            f"no Argos model for {from_code}→{to_code} in {packages_dir()}{ignored}: "
            + install_hint(from_code, to_code)
        )
    # A real package is preferred to a test one even when test packages are allowed.
    return max(matches, key=lambda m: (not m.test, _version_key(m.version)))


def _check_entries(zf: zipfile.ZipFile) -> None:
    """Refuse entries that would land outside the package, as links, or unpack to far too much."""
    total = 0
    limit = max_model_bytes()
    seen: set[str] = set()
    for info in zf.infolist():
        n = info.filename
        key = n.rstrip("/")
        if key in seen:  # extraction keeps the last copy: which metadata.json counts would be a guess
            raise ModelError(f"refusing Argos package with two entries named {key!r}")
        seen.add(key)
        parts = n.split("/")
        if n.startswith("/") or "\\" in n or ".." in parts or "." in parts or ":" in parts[0] or "\x00" in n:
            raise ModelError(f"refusing Argos package with unsafe path {n!r}")
        if stat.S_ISLNK(info.external_attr >> 16):
            raise ModelError(f"refusing Argos package with a symbolic link entry {n!r}")
        total += info.file_size
        if total > limit:
            raise ModelError(
                f"refusing Argos package: it unpacks to over {limit:,} bytes (COVERAGE_ALIGN_MAX_MODEL_BYTES)"
            )
        if info.file_size > _RATIO_FLOOR and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise ModelError(
                f"refusing Argos package: {n!r} expands {info.file_size // max(info.compress_size, 1):,}x "
                f"(over {MAX_RATIO}x: a zip bomb, not model weights)"
            )


def _check_archive(zf: zipfile.ZipFile) -> tuple[str, dict]:
    """Validate an Argos zip; return its top-level folder name and metadata."""
    _check_entries(zf)  # before testzip, which would inflate a bomb in memory
    bad = zf.testzip()
    if bad is not None:
        raise ModelError(f"corrupt Argos package: CRC check failed on {bad}")
    names = zf.namelist()
    tops = {n.split("/", 1)[0] for n in names if n.strip("/")}
    if len(tops) != 1:
        raise ModelError("not an Argos package: expected a single top-level folder")
    top = tops.pop()
    if not _TOP.fullmatch(top):  # it becomes a folder name in the packages directory
        raise ModelError(f"not an Argos package: top-level folder {top!r} is not a plain name")
    try:
        meta = json.loads(zf.read(f"{top}/metadata.json"))
    except KeyError as exc:
        raise ModelError("not an Argos package: no metadata.json") from exc
    except ValueError as exc:
        raise ModelError(f"corrupt Argos package: metadata.json is not JSON ({exc})") from exc
    if not isinstance(meta, dict) or not meta.get("from_code") or not meta.get("to_code"):
        raise ModelError("not an Argos package: metadata.json lacks from_code/to_code")
    parse_metadata(meta)  # every field checked before anything is unpacked or swapped in
    if f"{top}/model/model.bin" not in names:
        raise ModelError("not an Argos package: no CTranslate2 model/model.bin")
    if not {f"{top}/sentencepiece.model", f"{top}/bpe.model"} & set(names):
        raise ModelError("not an Argos package: no sentencepiece.model or bpe.model")
    return top, meta


def install_file(path: str | Path) -> ModelInfo:
    """Install a local ``.argosmodel`` file atomically; replaces an older copy of it."""
    path = Path(path)
    try:
        return _install_file(path)
    except ModelError as exc:
        if "coverage-align models install" in str(exc):
            raise
        # Every refusal says how to get a good package in.
        raise ModelError(
            f"{exc}; get a good copy and run `coverage-align models install --file PATH.argosmodel` "
            "(or `coverage-align models install FROM TO` with a network)"
        ) from exc


def _install_file(path: Path) -> ModelInfo:
    if not path.is_file():
        raise ModelError(f"model file not found: {path}")
    if not zipfile.is_zipfile(path):
        raise ModelError(f"not an Argos package (not a zip archive): {path}")
    root = packages_dir()
    root.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".installing-", dir=root))
    try:
        try:
            with zipfile.ZipFile(path) as zf:
                top, meta = _check_archive(zf)
                zf.extractall(staging)
        except (zipfile.BadZipFile, OSError, EOFError) as exc:
            raise ModelError(f"corrupt Argos package {path}: {exc}") from exc
        _check_tokenizer(staging / top)
        _check_model(staging / top / "model")
        dest = root / top
        old = None
        try:
            if dest.exists():
                old = Path(tempfile.mkdtemp(prefix=".replaced-", dir=root))
                dest.rename(old / top)
            (staging / top).rename(dest)
        except OSError as exc:
            if old is not None and not dest.exists():
                (old / top).rename(dest)  # put the previous install back
            raise ModelError(f"cannot install into {dest}: {exc.strerror or exc}") from exc
        finally:
            if old is not None:
                shutil.rmtree(old, ignore_errors=True)
        return parse_metadata(meta, dest)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _check_model(model_dir: Path) -> None:
    """Load the CTranslate2 model once, so a corrupt model.bin fails here and not at first use."""
    import ctranslate2

    try:
        translator = ctranslate2.Translator(
            str(model_dir), device="cpu", compute_type="auto", intra_threads=1
        )
    except Exception as exc:  # CTranslate2 raises RuntimeError, ValueError or OSError by case
        raise ModelError(f"corrupt Argos package: model/model.bin does not load ({exc})") from exc
    del translator


def _check_tokenizer(pkg_dir: Path) -> None:
    sp = pkg_dir / "sentencepiece.model"
    if not sp.exists():
        _check_bpe(pkg_dir / "bpe.model")
        return
    import sentencepiece

    try:
        sentencepiece.SentencePieceProcessor(model_file=str(sp))
    except Exception as exc:  # sentencepiece raises bare RuntimeError/OSError
        raise ModelError(f"corrupt Argos package: sentencepiece.model does not load ({exc})") from exc


def _check_bpe(path: Path) -> None:
    """A subword-nmt codes file: an optional ``#version`` line, then one merge (two symbols) a line.

    Checked here because Argos's own reader prints to stderr and exits the process on a bad line.
    """
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise ModelError(f"corrupt Argos package: bpe.model is not a UTF-8 text file ({exc})") from exc
    if lines and lines[0].startswith("#version:"):
        lines = lines[1:]
    bad = next((k for k, line in enumerate(lines) if len(line.strip("\r\n ").split(" ")) != 2), None)
    if not lines or bad is not None:
        where = f"line {bad + 1}" if bad is not None else "no merges"
        raise ModelError(f"corrupt Argos package: bpe.model is not a BPE codes file ({where})")


def _remove_package_folder(child: Path) -> None:
    """Delete one installed package. A link in the packages folder is removed as a link:
    following it would delete files outside the packages root."""
    try:
        if child.is_symlink():
            child.unlink()
        else:
            shutil.rmtree(child)
    except OSError as exc:
        raise ModelError(f"cannot remove {child}: {exc.strerror or exc}") from exc


def remove(from_code: str, to_code: str) -> ModelInfo:
    """Remove the installed package(s) for a direction, damaged ones included."""
    direction = (from_code, to_code)
    doomed = [(child, info) for child, info, meta, _ in _scan()
              if (meta.get("from_code"), meta.get("to_code")) == direction]  # fmt: skip
    if not doomed:  # an install hint here answered "remove" with "install it with …"
        raise ModelNotInstalled(
            f"nothing to remove: no Argos package for {from_code}→{to_code} is installed in {packages_dir()} "
            "(`coverage-align models list` shows what is)"
        )
    for child, _ in doomed:
        _remove_package_folder(child)
    infos = [info for _, info in doomed if info is not None]
    return (
        max(infos, key=lambda m: _version_key(m.version))
        if infos
        else ModelInfo(
            code=doomed[0][0].name, from_code=from_code, to_code=to_code, version="", path=doomed[0][0]
        )
    )


def _fetch(url: str, progress: DownloadProgress | None = None) -> bytes:
    try:
        req = urllib.request.Request(url, headers={"User-Agent": "coverage-align"})
        with urllib.request.urlopen(req, timeout=NETWORK_TIMEOUT_S) as resp:
            total = resp.length
            chunks, done = [], 0
            while chunk := resp.read(1 << 16):
                chunks.append(chunk)
                done += len(chunk)
                if progress:
                    progress(done, total)
            return b"".join(chunks)
    except (urllib.error.URLError, OSError, ValueError) as exc:
        raise NetworkError(
            f"no network: cannot reach {url} ({getattr(exc, 'reason', exc)}); install from a "
            "file with `coverage-align models install --file PATH.argosmodel`"
        ) from exc


def available() -> list[ModelInfo]:
    """Translation packages offered by the Argos index (needs network)."""
    raw = _fetch(_index_url())
    try:
        index = json.loads(raw)
    except ValueError as exc:
        raise NetworkError(f"the Argos index at {_index_url()} is not JSON") from exc
    if not isinstance(index, list):
        raise NetworkError(f"the Argos index at {_index_url()} is not a list of packages")
    offered = []
    for m in index:
        if isinstance(m, dict) and m.get("type", "translate") == "translate":
            try:
                offered.append(parse_metadata(m))
            except ModelError as exc:  # one bad entry does not hide the others
                log.warning("skipping an entry of the Argos index: %s", exc)
    return sorted(offered, key=lambda m: (m.from_code, m.to_code))


def install_from_index(from_code: str, to_code: str, progress: DownloadProgress | None = None) -> ModelInfo:
    """Download the index's package for a direction and install it."""
    offered = [m for m in available() if (m.from_code, m.to_code) == (from_code, to_code)]
    if not offered:
        raise ModelError(f"the Argos index offers no {from_code}→{to_code} package")
    pkg = max(offered, key=lambda m: _version_key(m.version))
    last_error: Exception | None = None
    for link in pkg.links:
        try:
            data = _fetch(link, progress)
        except NetworkError as exc:
            last_error = exc
            continue
        with tempfile.NamedTemporaryFile(suffix=".argosmodel", delete=False) as tmp:
            tmp.write(data)
        try:
            return install_file(tmp.name)
        finally:
            os.unlink(tmp.name)
    raise last_error or ModelError(f"the index lists no download link for {pkg.code}")
