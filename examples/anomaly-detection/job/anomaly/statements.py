"""The job's SQL as a pure function of the runtime properties: checked by the tests without starting Flink."""
from typing import Dict, List

from .connectors import is_partitioned_sink, sink_options, source_options, with_clause
from .detection import SINK_COLUMNS, SINK_NAME, SOURCE_NAME, DetectionSettings, alerts_query, source_columns
from .properties import RuntimeProperties


def table_config(properties: RuntimeProperties) -> Dict[str, str]:
    """Table configuration the detection depends on (the service sets parallelism and checkpointing itself)."""
    settings = DetectionSettings.from_group(properties.optional_group("application"))
    # 0 turns idleness detection off (Flink's default): a quiet shard then stops alerts until it gets a record.
    return {"table.exec.source.idle-timeout": f"{settings.source_idle_timeout_seconds} s"}


def create_statements(properties: RuntimeProperties) -> List[str]:
    """The two CREATE TABLE statements and the INSERT, in the order they are executed."""
    settings = DetectionSettings.from_group(properties.optional_group("application"))
    source = properties.group(f"source.{SOURCE_NAME}")
    sink = properties.group(f"sink.{SINK_NAME}")
    partitioned = "PARTITIONED BY (`cardId`)\n" if is_partitioned_sink(sink) else ""
    return [
        f"CREATE TABLE `{SOURCE_NAME}` {source_columns(settings)}\n{with_clause(source_options(source))}",
        f"CREATE TABLE `{SINK_NAME}` {SINK_COLUMNS}\n{partitioned}{with_clause(sink_options(sink))}",
        f"INSERT INTO `{SINK_NAME}`{alerts_query(settings)}",
    ]


def table_options(properties: RuntimeProperties) -> dict:
    """The connector options of both tables, keyed by table name (what `explain.py` prints)."""
    return {
        SOURCE_NAME: source_options(properties.group(f"source.{SOURCE_NAME}")),
        SINK_NAME: sink_options(properties.group(f"sink.{SINK_NAME}")),
        "partitionedBy": ["cardId"] if is_partitioned_sink(properties.group(f"sink.{SINK_NAME}")) else [],
        "settings": DetectionSettings.from_group(properties.optional_group("application")).__dict__,
        "tableConfig": table_config(properties),
    }
