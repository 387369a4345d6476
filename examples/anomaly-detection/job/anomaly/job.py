"""Builds the Flink tables from the runtime properties and submits the detection."""
import logging
import os
from typing import Mapping

from pyflink.table import EnvironmentSettings, TableEnvironment

from .connectors import is_partitioned_sink, sink_options, source_options, with_clause
from .detection import SINK_COLUMNS, SINK_NAME, SOURCE_NAME, DetectionSettings, alerts_query, source_columns
from .properties import RuntimeProperties, is_local_run, load_properties

RUN_OPTIONS_GROUP = "kinesis.analytics.flink.run.options"
DEFAULT_JARFILE = "lib/pyflink-dependencies.jar"
JOB_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

log = logging.getLogger("anomaly")


def create_statements(properties: RuntimeProperties) -> list:
    """The DDL and the INSERT, in order: pure functions of the properties, so they can be checked without Flink."""
    settings = DetectionSettings.from_group(properties.optional_group("application"))
    source = properties.group(f"source.{SOURCE_NAME}")
    sink = properties.group(f"sink.{SINK_NAME}")
    partitioned = "PARTITIONED BY (`cardId`)\n" if is_partitioned_sink(sink) else ""
    return [
        f"CREATE TABLE `{SOURCE_NAME}` {source_columns(settings)}\n{with_clause(source_options(source))}",
        f"CREATE TABLE `{SINK_NAME}` {SINK_COLUMNS}\n{partitioned}{with_clause(sink_options(sink))}",
        f"INSERT INTO `{SINK_NAME}`{alerts_query(settings)}",
    ]


def _local_jar(properties: RuntimeProperties) -> str:
    jar = properties.optional_group(RUN_OPTIONS_GROUP).get("jarfile", DEFAULT_JARFILE)
    return os.path.join(JOB_ROOT, jar)


def run(environ: Mapping[str, str] = os.environ) -> None:
    properties = load_properties(environ)
    statements = create_statements(properties)
    env = TableEnvironment.create(EnvironmentSettings.in_streaming_mode())
    config = env.get_config()
    local = is_local_run(environ)
    if local:
        # On the service the run option `jarfile` puts the connectors on the class path; locally we add it.
        jar = _local_jar(properties)
        if os.path.exists(jar):
            config.set("pipeline.jars", "file://" + jar)
        # Files written by the filesystem sink are committed on checkpoints (the service configures its own).
        config.set("execution.checkpointing.interval", environ.get("FLINK_LOCAL_CHECKPOINT_INTERVAL", "2 s"))
    config.set("pipeline.name", "anomaly-detection")
    for statement in statements[:-1]:
        env.execute_sql(statement)
    log.info("detection: %s", statements[-1].strip())
    result = env.execute_sql(statements[-1])
    if local:
        # The service keeps the job running on its own; a local run returns when a bounded source is exhausted.
        result.wait()
