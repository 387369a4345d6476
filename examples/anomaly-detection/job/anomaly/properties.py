"""Runtime properties: the property groups the Flink application construct renders.

Managed Service for Apache Flink writes `ApplicationConfiguration.EnvironmentProperties.PropertyGroups` to
`/etc/flink/application_properties.json` as a JSON list of `{"PropertyGroupId": ..., "PropertyMap": {...}}`.
Local runs and tests write the same list to a file and name it in `FLINK_APPLICATION_PROPERTIES`.
"""
import json
import os
from typing import Dict, Mapping, Optional

SERVICE_PROPERTIES_PATH = "/etc/flink/application_properties.json"
LOCAL_PROPERTIES_ENV = "FLINK_APPLICATION_PROPERTIES"


class PropertiesError(ValueError):
    """A runtime property is missing or has a value the job cannot use."""


def properties_path(environ: Mapping[str, str] = os.environ) -> str:
    return environ.get(LOCAL_PROPERTIES_ENV) or SERVICE_PROPERTIES_PATH


def is_local_run(environ: Mapping[str, str] = os.environ) -> bool:
    return bool(environ.get(LOCAL_PROPERTIES_ENV))


class PropertyGroup:
    """One property group; getters name the group, the key and the value in their errors."""

    def __init__(self, group_id: str, values: Mapping[str, str]):
        self.id = group_id
        self.values: Dict[str, str] = dict(values)

    def get(self, key: str, default: Optional[str] = None) -> Optional[str]:
        value = self.values.get(key)
        return default if value is None or value == "" else value

    def require(self, key: str) -> str:
        value = self.get(key)
        if value is None:
            raise PropertiesError(f"property group '{self.id}' has no '{key}' (keys: {sorted(self.values)})")
        return value

    def choice(self, key: str, allowed: tuple, default: Optional[str] = None) -> str:
        value = self.get(key, default) if default is not None else self.require(key)
        if value not in allowed:
            raise PropertiesError(f"property group '{self.id}': '{key}' is '{value}', expected one of {list(allowed)}")
        return value

    def number(self, key: str, default: float, minimum: float, maximum: float = float("inf")) -> float:
        raw = self.get(key)
        if raw is None:
            return default
        try:
            value = float(raw)
        except ValueError:
            raise PropertiesError(f"property group '{self.id}': '{key}' is '{raw}', not a number") from None
        if not minimum <= value <= maximum:
            raise PropertiesError(
                f"property group '{self.id}': '{key}' is {raw}, expected between {minimum} and {maximum}")
        return value

    def integer(self, key: str, default: int, minimum: int, maximum: int = 2**31 - 1) -> int:
        raw = self.get(key)
        if raw is None:
            return default
        if not raw.strip().lstrip("-").isdigit():
            raise PropertiesError(f"property group '{self.id}': '{key}' is '{raw}', not an integer")
        value = int(raw)
        if not minimum <= value <= maximum:
            raise PropertiesError(
                f"property group '{self.id}': '{key}' is {raw}, expected between {minimum} and {maximum}")
        return value


class RuntimeProperties:
    def __init__(self, groups: Mapping[str, PropertyGroup], source: str):
        self.groups = dict(groups)
        self.source = source

    def group(self, group_id: str) -> PropertyGroup:
        found = self.groups.get(group_id)
        if found is None:
            raise PropertiesError(
                f"{self.source} has no property group '{group_id}' (groups: {sorted(self.groups)})")
        return found

    def optional_group(self, group_id: str) -> PropertyGroup:
        return self.groups.get(group_id) or PropertyGroup(group_id, {})


def parse_properties(text: str, source: str) -> RuntimeProperties:
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        raise PropertiesError(f"{source} is not JSON: {error}") from None
    if not isinstance(document, list):
        raise PropertiesError(f"{source} must hold a JSON list of property groups")
    groups: Dict[str, PropertyGroup] = {}
    for entry in document:
        group_id = entry.get("PropertyGroupId") if isinstance(entry, dict) else None
        values = entry.get("PropertyMap", {}) if isinstance(entry, dict) else None
        if not isinstance(group_id, str) or not isinstance(values, dict):
            raise PropertiesError(f"{source}: each entry needs a PropertyGroupId and a PropertyMap, got {entry!r}")
        if group_id in groups:
            raise PropertiesError(f"{source}: property group '{group_id}' appears twice")
        groups[group_id] = PropertyGroup(group_id, {str(k): str(v) for k, v in values.items()})
    return RuntimeProperties(groups, source)


def load_properties(environ: Mapping[str, str] = os.environ) -> RuntimeProperties:
    path = properties_path(environ)
    try:
        with open(path, encoding="utf-8") as handle:
            text = handle.read()
    except OSError as error:
        hint = "" if is_local_run(environ) else f" (set {LOCAL_PROPERTIES_ENV} to a local file)"
        raise PropertiesError(f"cannot read runtime properties {path}: {error.strerror}{hint}") from None
    return parse_properties(text, path)
