# Two entry points: `make demo` (the main job) and `make test`.
# uv is installed with pip when missing; `python3 -m uv` then works whatever PATH says.
# `make test` compiles every installed file to bytecode at set-up (--compile-bytecode), so
# start-up stays fast even where PYTHONDONTWRITEBYTECODE is set.
UV = $(shell command -v uv 2>/dev/null || echo python3 -m uv)

.PHONY: demo test lint uv

uv:
	@command -v uv >/dev/null 2>&1 || python3 -m uv --version >/dev/null 2>&1 || python3 -m pip install --quiet uv

# The demo needs only runtime dependencies: no pytest, ruff or Polars.
# No --compile-bytecode here: it compiled all ~7,200 installed files (20-30 s on 2 cores)
# while the demo imports about 400. Instead the demo's own first run writes the .pyc files
# of exactly what it imports (PYTHONDONTWRITEBYTECODE cleared for that run only), and every
# later run, make or not, reads them. Figures in docs/encoders.md.
demo: uv
	$(UV) sync --frozen --no-dev
	PYTHONDONTWRITEBYTECODE= $(UV) run --no-dev coverage-align demo $(ARGS)

# The HTML report test needs headless Chromium: under CI=true its absence is an
# error; elsewhere the test is skipped and a notice says how to install it, after
# the test output so it is not scrolled away.
CHROMIUM ?= $(shell command -v chromium 2>/dev/null || command -v chromium-browser 2>/dev/null)
CHROMIUM_NOTICE = NOTICE: chromium not found, the HTML rendering test was SKIPPED. \
Install it with: sudo apt-get install chromium fonts-noto-cjk

test: uv
	@if [ "$$CI" = true ] && [ -z "$(CHROMIUM)" ]; then \
	  echo "error: CI=true but chromium is not installed (.ci/run installs it)" >&2; exit 1; fi
	$(UV) sync --frozen --compile-bytecode
	$(UV) run ruff check .
	$(UV) run mypy
	@$(UV) run pytest $(ARGS); rc=$$?; \
	if [ -z "$(CHROMIUM)" ]; then \
	  printf '\n\033[1;33m%s\033[0m\n' "$(CHROMIUM_NOTICE)" >&2; fi; exit $$rc

lint: uv
	$(UV) run ruff check .
	$(UV) run ruff format --check .
	$(UV) run mypy
