"""Retry policy and task-runner choice shared by the flows."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any, ParamSpec, TypeVar

from prefect import Task, task
from prefect.cache_policies import NO_CACHE
from prefect.tasks import exponential_backoff

from translate.errors import CoverageAlignError, DatasetError, EventConflict, InputError, ModelError

P = ParamSpec("P")
R = TypeVar("R")


def retrying_task(fn: Callable[P, R]) -> Task[P, R]:
    """A task for I/O and model loading, which can fail transiently (a network disk, a lock
    held by another writer, a model being copied in): retried with backoff, unless the
    failure is bad input, which never gets better."""
    # Translations and embeddings are cached by the library (SQLite), not by Prefect:
    # Prefect's own caching needs result persistence, and hashing sentence lists is waste.
    decorate = task(
        cache_policy=NO_CACHE,
        retries=2,
        retry_delay_seconds=exponential_backoff(backoff_factor=2),
        retry_jitter_factor=0.3,
        retry_condition_fn=worth_retrying,
    )
    return decorate(fn)


def plain_task(fn: Callable[P, R] | None = None, *, name: str | None = None) -> Any:
    """A task that is pure computation: no retries, no Prefect caching."""
    decorate = task(name=name, cache_policy=NO_CACHE)
    return decorate(fn) if fn is not None else decorate


def worth_retrying(task: Any, task_run: Any, state: Any) -> bool:
    try:
        state.result(raise_on_failure=True)
    except EventConflict:  # the id belongs to other articles: waiting changes nothing
        return False
    except (ModelError, DatasetError, OSError):
        return True
    except Exception:
        return False
    return False


def task_runner() -> Any:
    """``COVERAGE_ALIGN_TASK_RUNNER``: ``threads`` (default) or ``dask`` (the ``dask`` extra).

    ``COVERAGE_ALIGN_MAX_WORKERS`` bounds how many events run at once (default 2);
    for Dask, ``COVERAGE_ALIGN_DASK_ADDRESS`` points at an existing scheduler,
    otherwise a LocalCluster is started.
    """
    from translate import config

    workers = config.max_workers()
    if config.task_runner_kind() == "dask":
        try:
            from prefect_dask import DaskTaskRunner
        except ImportError as exc:
            raise CoverageAlignError(
                "COVERAGE_ALIGN_TASK_RUNNER=dask needs prefect-dask: install the extra with "
                "`uv sync --extra dask`"
            ) from exc

        address = config.dask_address()
        if address:
            return DaskTaskRunner(address=address)
        return DaskTaskRunner(cluster_kwargs={"n_workers": workers, "threads_per_worker": 1})
    from prefect.task_runners import ThreadPoolTaskRunner

    return ThreadPoolTaskRunner(max_workers=workers)


class OneLineForBadInput(logging.Filter):
    """Bad input is an expected outcome: log it as one line, once, with no traceback.

    Prefect logs a failing task's exception with its traceback, then again for
    each flow and task it propagates through. The first record keeps the
    message; later records carrying the same exception object are dropped.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        exc = record.exc_info[1] if record.exc_info else None
        if not isinstance(exc, InputError | EventConflict):
            return True
        if getattr(exc, "_coverage_align_logged", False):
            return False
        exc._coverage_align_logged = True  # type: ignore[attr-defined,union-attr]
        record.exc_info, record.exc_text = None, None
        return True


_FILTER = OneLineForBadInput()
for _name in ("prefect.task_runs", "prefect.flow_runs"):
    if _FILTER not in logging.getLogger(_name).filters:
        logging.getLogger(_name).addFilter(_FILTER)
