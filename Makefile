# Two entry points: `make demo` (the main job) and `make test`.
# uv is installed with pip when missing; `python3 -m uv` then works whatever PATH says.
# `make test` compiles every installed file to bytecode at set-up (--compile-bytecode), so
# start-up stays fast even where PYTHONDONTWRITEBYTECODE is set.
UV = $(shell command -v uv 2>/dev/null || echo python3 -m uv)

.PHONY: demo test lint uv

uv:
	@command -v uv >/dev/null 2>&1 || python3 -m uv --version >/dev/null 2>&1 || python3 -m pip install --quiet uv

# The demo needs only runtime dependencies: no pytest, ruff or Polars. pyproject's
# default-groups is empty, so a plain `uv run …` afterwards keeps this environment.
# No --compile-bytecode here: it compiled all ~7,200 installed files (20-30 s on 2 cores)
# while the demo imports about 400. Instead the demo's own first run writes the .pyc files
# of exactly what it imports (PYTHONDONTWRITEBYTECODE cleared for that run only), and every
# later run, make or not, reads them. Figures in docs/encoders.md.
demo: uv
	$(UV) sync --frozen
	PYTHONDONTWRITEBYTECODE= $(UV) run --frozen coverage-align demo $(ARGS)

# The HTML report test needs headless Chromium and a Hangul font: under CI=true
# their absence is an error; elsewhere the test is skipped and a notice says how
# to install them, after the test output so it is not scrolled away.
CHROMIUM ?= $(shell command -v chromium 2>/dev/null || command -v chromium-browser 2>/dev/null)
HANGUL_FONT ?= $(shell fc-list :lang=ko family 2>/dev/null | head -n 1)
BROWSER_NOTICE = NOTICE: chromium or a Hangul font (fonts-noto-cjk) not found, the HTML rendering \
test was SKIPPED. Install them with: sudo apt-get install chromium fonts-noto-cjk
# The dev group (pytest, ruff, mypy, DuckDB, Polars) is asked for here, never by default.
DEV = $(UV) run --frozen --group dev

test: uv
	@if [ "$$CI" = true ]; then missing=""; \
	  [ -n "$(CHROMIUM)" ] || missing="chromium"; \
	  [ -n "$(HANGUL_FONT)" ] || missing="$$missing fonts-noto-cjk (fc-list :lang=ko finds no Hangul font)"; \
	  if [ -n "$$missing" ]; then \
	    echo "error: CI=true but not installed for the HTML report test: $$missing; .ci/run installs them" >&2; \
	    exit 1; fi; fi
	$(UV) sync --frozen --compile-bytecode --group dev
	$(DEV) ruff check .
	$(DEV) mypy
	@$(DEV) pytest $(ARGS); rc=$$?; \
	if [ -z "$(CHROMIUM)" ] || [ -z "$(HANGUL_FONT)" ]; then \
	  printf '\n\033[1;33m%s\033[0m\n' "$(BROWSER_NOTICE)" >&2; fi; exit $$rc

lint: uv
	$(DEV) ruff check .
	$(DEV) ruff format --check .
	$(DEV) mypy
