import { Token } from 'aws-cdk-lib';
import { CfnApplication } from 'aws-cdk-lib/aws-kinesisanalyticsv2';
import { IConstruct } from 'constructs';
import { FLINK_PYTHON_RUN_OPTIONS, FLINK_PROPERTY_GROUPS } from '../../contracts/flink-properties';
import { FlinkLimits } from '../../validation/limits';
import { checkAtMost, checkName, fail } from '../../validation/rules';
import { PythonRunOptions } from '../flink-code';

const GROUP_ID_PATTERN = /^[a-zA-Z0-9_.-]+$/;

/** The property groups of one application, checked against the service's limits as they are added. */
export class PropertyGroups {
  private readonly groups = new Map<string, Record<string, string>>();

  constructor(private readonly scope: IConstruct) {}

  public add(id: string, map: Record<string, string>): void {
    checkName(this.scope, 'property group id', id, FlinkLimits.MAX_PROPERTY_GROUP_ID_LENGTH, GROUP_ID_PATTERN, 'letters, digits, underscores, periods and hyphens');
    if (this.groups.has(id)) fail(this.scope, `property group '${id}' is already defined: each group id must be unique`);
    if (this.groups.size >= FlinkLimits.MAX_PROPERTY_GROUPS) {
      fail(this.scope, `cannot add property group '${id}': an application has at most ${FlinkLimits.MAX_PROPERTY_GROUPS} property groups (sources and sinks count, one each)`);
    }
    const keys = Object.keys(map);
    checkAtMost(this.scope, `property group '${id}' (number of properties)`, keys.length, FlinkLimits.MAX_PROPERTIES_PER_GROUP);
    for (const [k, v] of Object.entries(map)) {
      if (k.length === 0 || k.length > FlinkLimits.MAX_PROPERTY_KEY_LENGTH) fail(this.scope, `property group '${id}': key must be 1 to ${FlinkLimits.MAX_PROPERTY_KEY_LENGTH} characters, got ${k.length}`);
      if (typeof v !== 'string') fail(this.scope, `property group '${id}': the value of '${k}' must be a string, got ${typeof v}`);
      if (!Token.isUnresolved(v) && v.length > FlinkLimits.MAX_PROPERTY_VALUE_LENGTH) {
        fail(this.scope, `property group '${id}': the value of '${k}' must be at most ${FlinkLimits.MAX_PROPERTY_VALUE_LENGTH} characters, got ${v.length}`);
      }
    }
    this.groups.set(id, { ...map });
  }

  public has(id: string): boolean {
    return this.groups.has(id);
  }

  public get(id: string): Record<string, string> | undefined {
    const g = this.groups.get(id);
    return g ? { ...g } : undefined;
  }

  public render(): CfnApplication.PropertyGroupProperty[] | undefined {
    if (this.groups.size === 0) return undefined;
    return [...this.groups.entries()].map(([propertyGroupId, propertyMap]) => ({ propertyGroupId, propertyMap }));
  }
}

/** The `kinesis.analytics.flink.run.options` map of a Python application. */
export function pythonRunOptions(python: PythonRunOptions): Record<string, string> {
  const map: Record<string, string> = { [FLINK_PYTHON_RUN_OPTIONS.PYTHON]: python.entryPoint };
  if (python.jarFile) map[FLINK_PYTHON_RUN_OPTIONS.JAR_FILE] = python.jarFile;
  if (python.pyFiles) map[FLINK_PYTHON_RUN_OPTIONS.PY_FILES] = python.pyFiles;
  if (python.pyArchives) map[FLINK_PYTHON_RUN_OPTIONS.PY_ARCHIVES] = python.pyArchives;
  if (python.pyRequirements) map[FLINK_PYTHON_RUN_OPTIONS.PY_REQUIREMENTS] = python.pyRequirements;
  return map;
}

/** A group id the user may not take: the service's own, and the prefixes of sources and sinks. */
export function checkUserGroupId(scope: IConstruct, id: string): void {
  if (id === FLINK_PROPERTY_GROUPS.PYTHON_RUN_OPTIONS) fail(scope, `property group '${id}' is the service's run options, set from the code's Python options`);
  if (id.startsWith(FLINK_PROPERTY_GROUPS.SOURCE_PREFIX) || id.startsWith(FLINK_PROPERTY_GROUPS.SINK_PREFIX)) {
    fail(scope, `property group '${id}' uses the prefix of sources and sinks: add them with addSource and add*Sink, or choose another id`);
  }
}

/** lower-kebab of a construct id: `CardTransactions` → `card-transactions`. */
export function kebab(id: string): string {
  return id.replace(/([a-z0-9])([A-Z])/g, '$1-$2').replace(/[^a-zA-Z0-9]+/g, '-').replace(/^-+|-+$/g, '').toLowerCase();
}
