# Two entry points: `make demo` (the main job) and `make test`.
# uv is installed with pip when missing; `python3 -m uv` then works whatever PATH says.
# --compile-bytecode writes .pyc files once at set-up, so start-up stays fast even where
# PYTHONDONTWRITEBYTECODE is set.
UV = $(shell command -v uv 2>/dev/null || echo python3 -m uv)

.PHONY: demo test lint uv

uv:
	@command -v uv >/dev/null 2>&1 || python3 -m uv --version >/dev/null 2>&1 || python3 -m pip install --quiet uv

demo: uv
	$(UV) sync --frozen --compile-bytecode
	$(UV) run coverage-align demo $(ARGS)

test: uv
	$(UV) sync --frozen --compile-bytecode
	$(UV) run ruff check .
	$(UV) run pytest $(ARGS)

lint: uv
	$(UV) run ruff check .
	$(UV) run ruff format --check .
