import { PART_RULES } from './checks/part-rules';
import { KinesisDesign, RuleInfo } from './kinesis-design';

/** Every rule of the library: per-part (checked by constructs) and cross-part (`KinesisDesign`). */
export class RuleCatalog {
  /** Every rule, per-part first, then cross-part. */
  public static all(): RuleInfo[] {
    return [...PART_RULES.map(({ evidence: _e, ...r }) => r), ...KinesisDesign.rules()];
  }

  /**
   * The README table of every rule: id, scope, severity, what, why, fix.
   */
  public static markdownTable(): string {
    const cell = (s: string) => s.replace(/\|/g, '\\|');
    const rows = RuleCatalog.all().map((r) => `| ${r.id} | ${r.scope} | ${r.severity} | ${cell(r.what)} | ${cell(r.why)} | ${cell(r.fix)} |`);
    return ['| Id | Where | Severity | What | Why | Fix |', '| --- | --- | --- | --- | --- | --- |', ...rows].join('\n');
  }

  private constructor() {}
}
