"""coverage-align: compare English and Korean press coverage of one event, offline.

The library's stages are plain functions, each in its own module:
``documents`` (read files), ``langid`` (detect), ``segment`` (sentences),
``engine`` (translate), ``align`` (pair sentences), ``dataset`` (Parquet),
``pipeline`` (all of them for one event), ``report`` and ``show`` (views).
"""

__version__ = "0.1.0"
