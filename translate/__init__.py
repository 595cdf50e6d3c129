"""coverage-align: compare English and Korean press coverage of one event, offline.

Module map, in layers; a module imports only from layers above it::

    foundations   config (settings), errors (exit codes), progress (callback types)
    inputs        documents (read files) · langid (detect) · segment (sentences)
    signals       models (Argos packages) · engine (translate) · embed (encoders) · cache
    alignment     align/ : numerals · features · scorer · align() in __init__
    storage       dataset (Parquet tables, atomic writes)
    the job       pipeline (every stage for one event)
    views         summary (events table) · show (terminal) · report (HTML) · export (TMX, JSONL, Moses)
    doors         cli (the command) · flows/ (Prefect, outside this package)

Each stage is a plain function over dataclasses or Arrow tables, testable
without Prefect; ``testmodels`` builds tiny genuine Argos packages for tests.
"""

__version__ = "0.1.0"
