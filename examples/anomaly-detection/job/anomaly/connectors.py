"""Flink SQL connector options from a `source.<name>` or `sink.<name>` property group.

The group's `connector` key picks the connector; nothing in the job's code names a stream, a bucket or a region.
Keys are the ones in src/contracts/flink-properties.ts (see FLINK-CONTRACT in the job's README).
"""
from datetime import datetime, timezone
from typing import Dict, List

from .properties import PropertiesError, PropertyGroup

SOURCE_CONNECTORS = ("kinesis", "filesystem", "datagen")
SINK_CONNECTORS = ("kinesis", "firehose", "s3", "filesystem")
READ_MODES = ("POLLING", "EFO")
INITIAL_POSITIONS = ("LATEST", "TRIM_HORIZON", "AT_TIMESTAMP")

# The only format the job writes and reads; ISO-8601 timestamps (2026-01-31T12:00:00.000Z) as the contract says.
JSON_FORMAT = {"format": "json", "json.timestamp-format.standard": "ISO-8601"}
# The Kinesis source's default `source.init.timestamp.format`.
KINESIS_TIMESTAMP_FORMAT = "%Y-%m-%dT%H:%M:%S.%f"

# datagen keys passed through as they are (local runs only; the construct never renders datagen).
DATAGEN_PREFIXES = ("rows-per-second", "number-of-rows", "fields.")


def _aws_client_options(group: PropertyGroup) -> Dict[str, str]:
    """`aws.region` plus any other `aws.*` client setting (local runs add `aws.endpoint`, `aws.http.protocol.version`)."""
    options = {"aws.region": group.require("aws.region")}
    for key, value in group.values.items():
        if key.startswith("aws.") and value != "":
            options[key] = value
    return options


def _stream_arn(group: PropertyGroup) -> str:
    # The 5.x connectors address a stream by ARN; `stream.name` is there for people and logs.
    return group.require("stream.arn")


def _initial_timestamp(group: PropertyGroup) -> str:
    raw = group.require("initial.timestamp")
    try:
        parsed = datetime.fromisoformat(raw.replace("Z", "+00:00"))
    except ValueError:
        raise PropertiesError(f"property group '{group.id}': 'initial.timestamp' is '{raw}', not ISO-8601") from None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=timezone.utc)
    utc = parsed.astimezone(timezone.utc)
    return utc.strftime(KINESIS_TIMESTAMP_FORMAT)[:-3] + "+00:00"


def source_options(group: PropertyGroup) -> Dict[str, str]:
    connector = group.choice("connector", SOURCE_CONNECTORS)
    if connector == "filesystem":
        return _filesystem_options(group)
    if connector == "datagen":
        options = {"connector": "datagen"}
        options.update({k: v for k, v in group.values.items() if k.startswith(DATAGEN_PREFIXES)})
        return options

    options = {"connector": "kinesis", "stream.arn": _stream_arn(group), **_aws_client_options(group), **JSON_FORMAT}
    position = group.choice("initial.position", INITIAL_POSITIONS, default="LATEST")
    options["source.init.position"] = position
    if position == "AT_TIMESTAMP":
        options["source.init.timestamp"] = _initial_timestamp(group)
    mode = group.choice("read.mode", READ_MODES, default="POLLING")
    options["source.reader.type"] = mode
    if mode == "EFO":
        options["source.efo.consumer.name"] = group.require("efo.consumer.name")
        # The construct registers the consumer (and counts it against the stream's readers); the job only uses it.
        options["source.efo.lifecycle"] = "SELF_MANAGED"
    return options


def sink_options(group: PropertyGroup) -> Dict[str, str]:
    connector = group.choice("connector", SINK_CONNECTORS)
    if connector == "filesystem":
        return _filesystem_options(group)
    if connector == "s3":
        path = group.require("path")
        if not path.startswith("s3://"):
            raise PropertiesError(f"property group '{group.id}': 'path' is '{path}', expected s3://bucket/prefix/")
        return {"connector": "filesystem", "path": path, **JSON_FORMAT}
    if connector == "firehose":
        return {"connector": "firehose", "delivery-stream": group.require("delivery.stream.name"),
                **_aws_client_options(group), **JSON_FORMAT}
    return {"connector": "kinesis", "stream.arn": _stream_arn(group), **_aws_client_options(group), **JSON_FORMAT}


def is_partitioned_sink(group: PropertyGroup) -> bool:
    """Kinesis sinks key records by card (PARTITIONED BY cardId), so one card's alerts stay in order on one shard."""
    return group.get("connector") == "kinesis"


def _filesystem_options(group: PropertyGroup) -> Dict[str, str]:
    fmt = group.choice("format", ("json",), default="json")
    if fmt != "json":
        raise PropertiesError(f"property group '{group.id}': only format 'json' is supported")
    return {"connector": "filesystem", "path": group.require("path"), **JSON_FORMAT}


def with_clause(options: Dict[str, str]) -> str:
    def quote(text: str) -> str:
        return "'" + text.replace("'", "''") + "'"

    lines: List[str] = [f"  {quote(k)} = {quote(v)}" for k, v in sorted(options.items())]
    return "WITH (\n" + ",\n".join(lines) + "\n)"
