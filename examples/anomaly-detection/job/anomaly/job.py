"""Builds the Flink tables from the runtime properties and submits the detection."""
import logging
import os
from typing import Mapping

from pyflink.table import EnvironmentSettings, TableEnvironment

from .properties import RuntimeProperties, is_local_run, load_properties
from .statements import create_statements, table_config

RUN_OPTIONS_GROUP = "kinesis.analytics.flink.run.options"
DEFAULT_JARFILE = "lib/pyflink-dependencies.jar"
JOB_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

log = logging.getLogger("anomaly")


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
        # The filesystem sink commits its files on checkpoints; the service configures checkpointing itself.
        config.set("execution.checkpointing.interval", environ.get("FLINK_LOCAL_CHECKPOINT_INTERVAL", "2 s"))
    config.set("pipeline.name", "anomaly-detection")
    for key, value in table_config(properties).items():
        config.set(key, value)
    for statement in statements[:-1]:
        env.execute_sql(statement)
    log.info("detection: %s", statements[-1].strip())
    result = env.execute_sql(statements[-1])
    if local:
        # The service keeps the job running on its own; a local run returns when a bounded source is exhausted.
        result.wait()
