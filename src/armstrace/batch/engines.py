"""The two engines of `armstrace batch`, each running worker.process_split over the plan's
splits: local worker processes (multiprocessing), or Apache Spark (local mode by default, a
cluster with --master). Each returns the splits' results and its own timings.
"""

from __future__ import annotations

import multiprocessing
import os
import sys
import time
from collections.abc import Sequence
from typing import Any

from armstrace.batch.worker import Options, process_split
from armstrace.errors import ArmstraceError


def _task(arguments: tuple[dict[str, Any], Options]) -> dict[str, Any]:
    return process_split(*arguments)


def run_local(
    splits: Sequence[dict[str, Any]], options: Options, *, workers: int | None = None
) -> tuple[list[dict[str, Any]], dict[str, float]]:
    """The splits on `workers` processes (default: one per core); one process runs them all
    in this interpreter when workers is 1."""
    count = workers or os.cpu_count() or 1
    started = time.perf_counter()
    if count == 1:
        results = [process_split(split, options) for split in splits]
        return results, {"engine_start": 0.0, "run": time.perf_counter() - started}
    # spawn: each worker imports armstrace afresh and loads the model once (none is inherited)
    context = multiprocessing.get_context("spawn")
    with context.Pool(count) as pool:
        ready = time.perf_counter()
        results = list(pool.imap_unordered(_task, [(s, options) for s in splits], chunksize=1))
    return results, {"engine_start": ready - started, "run": time.perf_counter() - ready}


def run_spark(
    splits: Sequence[dict[str, Any]], options: Options, *, master: str = "local[*]"
) -> tuple[list[dict[str, Any]], dict[str, float]]:
    """The splits as Spark tasks, one split per partition; executors write the Parquet files
    themselves (on a cluster --out must be storage that every executor can write)."""
    try:
        from pyspark.sql import SparkSession
    except ImportError as exc:
        raise ArmstraceError(
            "--engine spark needs pyspark: pip install 'armstrace[spark]' (and Java 17 or newer)"
        ) from exc
    started = time.perf_counter()
    # Spark's Python workers must be this interpreter (where armstrace is installed); local
    # mode reads the variables, a cluster needs armstrace installed on every executor.
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    os.environ.setdefault("PYSPARK_DRIVER_PYTHON", sys.executable)
    builder = (
        SparkSession.builder.master(master)
        .appName("armstrace batch")
        .config("spark.ui.enabled", "false")
        .config("spark.python.worker.reuse", "true")  # one model load per worker, not per task
        .config("spark.pyspark.python", sys.executable)
        .config("spark.pyspark.driver.python", sys.executable)
        .config("spark.task.maxFailures", "1" if master.startswith("local") else "4")
    )
    if master.startswith("local"):
        builder = builder.config("spark.driver.host", "127.0.0.1").config(
            "spark.driver.bindAddress", "127.0.0.1"
        )
    try:
        spark = builder.getOrCreate()
    except Exception as exc:
        raise ArmstraceError(
            f"could not start Spark ({master}): {exc}; is Java 17 or newer installed?"
        ) from exc
    spark.sparkContext.setLogLevel("ERROR")
    ready = time.perf_counter()
    try:
        rdd = spark.sparkContext.parallelize(list(splits), numSlices=max(1, len(splits)))
        results = rdd.map(lambda split: process_split(split, options)).collect()
    finally:
        spark.stop()
    return results, {"engine_start": ready - started, "run": time.perf_counter() - ready}
