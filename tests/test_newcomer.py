"""Safe defaults and the newcomer's path (issue 19, section 4): each example reported
against a fresh clone, with the value it must have."""

from __future__ import annotations

import os
import re
import shutil
import stat
import subprocess
import tomllib
from pathlib import Path

import pytest
from typer.testing import CliRunner

from translate import dataset
from translate.cli import app

REPO = Path(__file__).resolve().parents[1]
FLOODS = REPO / "data" / "samples" / "2026-07-monsoon-floods"
EN = FLOODS / "en" / "article.txt"
KO = FLOODS / "ko" / "article.txt"
runner = CliRunner()


def _invoke(*args: object, **kw: object):
    return runner.invoke(app, [str(a) for a in args], **kw)


# ---------------------------------------------------------------- test packages


def test_test_packages_are_ignored_unless_asked_for(installed_models, tmp_path, monkeypatch):
    # Installed where a user's real packages live (ARGOS_PACKAGES_DIR), as `models build-test` does.
    monkeypatch.delenv("COVERAGE_ALIGN_TEST_MODELS")
    monkeypatch.setenv("COVERAGE_ALIGN_ENCODER", "none")
    out = tmp_path / "ds"
    res = _invoke("align", "--en", EN, "--ko", KO, "--event-id", "plain", "--dataset", out)
    assert res.exit_code == 0, res.output
    assert "TEST MODELS" not in res.output and "no translation model for ko→en, en→ko" in res.output
    prov = dataset.read_provenance(out, "plain")
    assert prov["packages"] == [] and prov["test_models"] is False
    assert set(dataset.load_sentences(out, "plain")["translation"].to_pylist()) == {None}

    res = _invoke("align", "--en", EN, "--ko", KO, "--event-id", "asked", "--dataset", out, "--test-models")
    assert res.exit_code == 0, res.output
    assert "TEST MODELS" in res.output
    assert dataset.read_provenance(out, "asked")["test_models"] is True
    assert "COVERAGE_ALIGN_TEST_MODELS" not in os.environ  # the option does not leak

    tr = _invoke("translate", "--no-cache", "-", input="문장입니다.\n")
    assert tr.exit_code == 3 and "ignored without --test-models" in tr.output
    assert _invoke("translate", "--no-cache", "--test-models", "-", input="문장입니다.\n").exit_code == 0


@pytest.mark.parametrize(
    ("meta", "is_test"),
    [
        ({"package_version": "0.0.1-test", "code": "translate-ko_en-test"}, True),
        ({"package_version": "1.1", "code": "translate-ko_en-test"}, True),  # version edited
        (
            {"package_version": "1.1", "code": "renamed", "description": "TEST MODELS: random weights, …"},
            False,
        ),
        ({"package_version": "1.1", "code": "translate-ko_en"}, False),  # a real package
    ],
)
def test_test_packages_are_recognised_by_their_metadata(meta, is_test):
    from translate.testmodels import TEST_MODEL_BANNER, is_test_package

    if "description" in meta:
        meta = {**meta, "description": TEST_MODEL_BANNER}
        is_test = True
    assert is_test_package(meta) is is_test


def test_models_list_marks_test_packages(installed_models):
    res = _invoke("models", "list")
    lines = [line for line in res.output.splitlines() if "-test" in line]
    assert len(lines) == 2 and all("TEST: used only with --test-models" in line for line in lines)


# ---------------------------------------------------------------- command line


@pytest.mark.parametrize("command", [[], ["align"], ["show"], ["export"], ["demo"]])
def test_help_shows_flags_without_a_type(command):
    res = _invoke(*command, "--help", env={"COLUMNS": "120"})
    assert res.exit_code == 0
    assert "<bool>" not in res.output and "--help" in res.output


def test_every_align_option_is_in_the_readme():
    res = _invoke("align", "--help", env={"COLUMNS": "200"})
    options = set(re.findall(r"(--[a-z][a-z-]+)", res.output)) - {"--help"}
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert "--encoder" in options
    assert sorted(o for o in options if o not in readme) == []


def test_align_reads_an_article_from_stdin(tmp_path, monkeypatch):
    monkeypatch.setenv("COVERAGE_ALIGN_ENCODER", "none")
    out = tmp_path / "ds"
    res = _invoke(
        "align", "--en", "-", "--ko", KO, "--event-id", "piped", "--dataset", out, input=EN.read_bytes()
    )
    assert res.exit_code == 0, res.output
    assert "piped: 25 English and 26 Korean sentences" in res.output
    docs = dataset.load_documents(out, "piped").to_pylist()
    assert {d["content_hash"] for d in docs if d["lang_declared"] == "en"} == {
        __import__("hashlib").sha256(EN.read_bytes()).hexdigest()
    }
    both = _invoke("align", "--en", "-", "--ko", "-", "--dataset", out, input="x")
    assert both.exit_code == 2 and "only one article can come from stdin" in both.output


# ---------------------------------------------------------------- Markdown


@pytest.mark.parametrize(
    ("markdown", "text"),
    [
        ("# Floods *hit* Seoul\n\nThe river rose.", "Floods hit Seoul\n\nThe river rose."),
        ("The **river** rose [fast](https://example.org/a).", "The river rose fast."),
        ("- first item.\n- second item.", "first item.\n\nsecond item."),
        ("1. Raise the budget.\n2. Hire staff.", "Raise the budget.\n\nHire staff."),
        ("> A quoted line.", "A quoted line."),
        ("Growth was 3 * 4 = 12 [sic].", "Growth was 3 * 4 = 12 [sic]."),
        ("See ![the map](map.png) here.", "See the map here."),
        ("<div>raw html</div>\n\nText.", "Text."),
        (
            "정부는 *예산*을 늘렸다.\n이에 따라 지원이 확대된다.",
            "정부는 예산을 늘렸다.\n이에 따라 지원이 확대된다.",
        ),
    ],
)
def test_markdown_is_reduced_to_text(markdown, text):
    from translate.documents import markdown_to_text

    assert markdown_to_text(markdown) == text


def test_md_article_has_no_markup_in_its_sentences(tmp_path):
    from translate.pipeline import load_side, segment_side

    md = tmp_path / "story.md"
    md.write_text(
        "# Rain *returns*\n\n- Roads were **closed** near [the river](https://example.org).\n"
        "- Schools stayed shut.\n",
        encoding="utf-8",
    )
    texts = segment_side(load_side([md], "en")).texts
    assert texts == ["Rain returns", "Roads were closed near the river.", "Schools stayed shut."]


# ---------------------------------------------------------------- views


@pytest.fixture(scope="module")
def small_dataset(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("views") / "ds"
    env = {"COVERAGE_ALIGN_ENCODER": "none", "COVERAGE_ALIGN_TEST_MODELS": ""}
    res = _invoke("align", "--event", FLOODS, "--dataset", out, env=env)
    assert res.exit_code == 0, res.output
    return out


@pytest.mark.parametrize(("user_less", "expected"), [(None, "-FRX"), ("-X", "-X"), ("", "")])
def test_pager_shows_colours_unless_less_is_set(small_dataset, monkeypatch, user_less, expected):
    import pydoc

    from rich.console import Console

    seen = {}
    monkeypatch.setattr(Console, "is_terminal", property(lambda self: True))
    monkeypatch.setattr(pydoc, "pager", lambda text: seen.setdefault("LESS", os.environ.get("LESS")))
    if user_less is None:
        monkeypatch.delenv("LESS", raising=False)
    else:
        monkeypatch.setenv("LESS", user_less)
    res = _invoke("show", FLOODS.name, "--dataset", small_dataset)
    assert res.exit_code == 0, res.output
    assert seen == {"LESS": expected}


@pytest.mark.parametrize("width", [80, 99, 160])
def test_events_table_fits_the_terminal(small_dataset, monkeypatch, width):
    from rich.console import Console

    monkeypatch.setattr(Console, "is_terminal", property(lambda self: True))
    res = _invoke("events", "--dataset", small_dataset, env={"COLUMNS": str(width), "NO_COLOR": "1"})
    assert res.exit_code == 0
    lines = [re.sub(r"\x1b\[[0-9;]*m", "", line) for line in res.output.splitlines()]
    assert max(len(line) for line in lines) <= width
    row = next(line for line in lines if line.lstrip().startswith("2026-07"))
    if width < 100:
        # counts whole, on the event's first line: sentences, pairs, only here, probably reported
        assert re.search(r"25/26\s+\d+\s+\d+\s+\d+\s", row)
    else:
        assert FLOODS.name in row and "use-m3" not in row  # aligned with encoder none


def test_show_of_an_unknown_event_is_bad_input(small_dataset):
    res = _invoke("show", "nonexistent", "--dataset", small_dataset)
    assert res.exit_code == 2
    assert res.output.strip() == (
        f"error: no event 'nonexistent' in {small_dataset}; none has a similar id "
        "(`coverage-align events` lists 1 event)"
    )


@pytest.mark.parametrize(
    ("event", "docs", "expected"),
    [
        ({"title": "Monsoon floods"}, [{"lang_declared": "en", "title": "Headline"}], "Monsoon floods"),
        (
            {},
            [{"lang_declared": "ko", "title": "제목"}, {"lang_declared": "en", "title": "Headline"}],
            "Headline",
        ),
        ({}, [{"lang_declared": "ko", "title": "제목"}], "제목"),
        ({"title": "  "}, [], "en--ko"),
    ],
)
def test_report_title_is_the_events_title_not_its_id(event, docs, expected):
    from translate.report import event_title, render_html

    prov = {"event": event}
    assert event_title("en--ko", docs, prov) == expected
    page = render_html("en--ko", [], [{**d, "path": "x"} for d in docs], prov)
    assert f"<h1>{expected}</h1>" in page and "<code>en--ko</code>" in page


@pytest.mark.parametrize(
    ("n", "noun", "expected"),
    [
        (1, "number difference", "1 number difference"),
        (2, "number difference", "2 number differences"),
        (0, "pair", "0 pairs"),
        (1, "event", "1 event"),
        (3, "match", "3 matches"),
    ],
)
def test_plural(n, noun, expected):
    from translate.textsafe import plural

    assert plural(n, noun) == expected


# ---------------------------------------------------------------- demo


def test_demo_output_is_tidy_without_a_network(tmp_path, monkeypatch):
    samples = tmp_path / "samples"
    for name in ("2026-07-monsoon-floods", "2026-10-rate-decision"):
        shutil.copytree(REPO / "data" / "samples" / name, samples / name)
    monkeypatch.setenv("COVERAGE_ALIGN_DATA", str(tmp_path / "data"))
    monkeypatch.setenv("COVERAGE_ALIGN_ENCODER", "none")
    monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(tmp_path / "no-models"))
    res = _invoke("demo", "--samples", samples)
    assert res.exit_code == 0, res.output
    lines = res.output.splitlines()
    assert "" not in lines  # no blank lines from progress bars
    assert "0/?" not in res.output  # no empty download bar for an unreachable index
    assert res.output.count(str(tmp_path / "data" / "parallel")) == 1
    assert sum(line.startswith("no translation model") for line in lines) == 1
    assert lines[-1].startswith("done: 2 events;")
    again = _invoke("demo", "--samples", samples)  # a second demo replaces its own events
    assert again.exit_code == 0, again.output


# ---------------------------------------------------------------- exports


@pytest.mark.parametrize("fmt", ["tmx", "jsonl", "moses"])
@pytest.mark.parametrize(("umask", "mode"), [(0o022, 0o644), (0o002, 0o664), (0o077, 0o600)])
def test_exports_are_created_with_the_umasks_mode(small_dataset, tmp_path, fmt, umask, mode):
    old = os.umask(umask)
    try:
        res = _invoke(
            "export", FLOODS.name, "--format", fmt, "--to", tmp_path / "out", "--dataset", small_dataset
        )
    finally:
        os.umask(old)
    assert res.exit_code == 0, res.output
    written = [p for p in tmp_path.iterdir() if p.name.startswith("out")]
    assert written and all(stat.S_IMODE(p.stat().st_mode) == mode for p in written)
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".out")]  # no temp file left


# ---------------------------------------------------------------- configuration and set-up


def _env_vars_read_by_the_code() -> set[str]:
    found = set()
    for path in [*REPO.glob("translate/**/*.py"), *REPO.glob("flows/*.py")]:
        found |= set(re.findall(r"""["'](COVERAGE_ALIGN_[A-Z_]+)["']""", path.read_text(encoding="utf-8")))
    return found


def test_every_setting_is_documented_in_config_and_readme():
    from translate import config

    names = _env_vars_read_by_the_code()
    assert {"COVERAGE_ALIGN_CACHE", "COVERAGE_ALIGN_EMBED_CACHE", "COVERAGE_ALIGN_TEST_MODELS"} <= names
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert sorted(n for n in names if n not in (config.__doc__ or "")) == []
    assert sorted(n for n in names if n not in readme) == []
    # The translation cache is a file, not a folder.
    line = next(x for x in readme.splitlines() if "`COVERAGE_ALIGN_CACHE`" in x)
    assert "file" in line and "translations.sqlite3" in line


def test_uv_keeps_the_runtime_environment_and_make_test_asks_for_dev():
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    assert project["tool"]["uv"]["default-groups"] == []
    make = subprocess.run(["make", "-n", "test"], cwd=REPO, capture_output=True, text=True, check=True).stdout
    assert "sync --frozen --compile-bytecode --group dev" in make
    assert all("--group dev" in line for line in make.splitlines() if " run " in line and "uv" in line)


@pytest.mark.parametrize(
    ("chromium", "font", "message"),
    [
        ("/usr/bin/chromium", "", "fonts-noto-cjk"),
        ("", "Noto Sans CJK KR", "chromium"),
    ],
)
def test_ci_guard_names_what_is_missing(chromium, font, message):
    other = "chromium" if message != "chromium" else "fonts-noto-cjk"
    res = subprocess.run(
        ["make", "test", f"CHROMIUM={chromium}", f"HANGUL_FONT={font}"],
        cwd=REPO,
        capture_output=True,
        text=True,
        env={**os.environ, "CI": "true"},
        timeout=120,
    )
    assert res.returncode != 0
    error = next(line for line in res.stderr.splitlines() if line.startswith("error:"))
    assert message in error and other not in error.split(":", 2)[2]
    assert "sync" not in res.stdout  # refused before installing anything


def test_argostranslate_venv_is_built_without_our_overrides(tmp_path, monkeypatch):
    from benchmarks.vs_argostranslate import isolated_install

    monkeypatch.setenv("UV_OVERRIDE", str(REPO / "overrides.txt"))
    monkeypatch.chdir(REPO)  # as documented: run from the project root
    cmd, env, cwd = isolated_install(tmp_path / "bin" / "python", "argostranslate==1.11.0")
    assert not Path(cwd).resolve().is_relative_to(REPO)
    assert not [k for k in env if k.startswith("UV_")]
    if cmd[0] == "uv":
        assert "--no-config" in cmd
    else:
        assert "--isolated" in cmd
    assert cmd[-1] == "argostranslate==1.11.0"
