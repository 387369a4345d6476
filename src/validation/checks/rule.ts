import { DesignModel, ModelResource } from './model';

/** How serious a finding is: an error fails synthesis under the validation plugin, a warning is reported. */
export enum RuleSeverity {
  /** The design loses or blocks records, or the service refuses it. */
  ERROR = 'error',
  /** The design works but wastes, delays or weakens something a reviewer would ask about. */
  WARNING = 'warning',
}

/** One finding of a rule on one resource. */
export interface Finding {
  readonly resource: ModelResource;
  /** What is wrong, with the values and the limit. */
  readonly message: string;
  /** Where in the resource (`Properties/BatchSize`). */
  readonly location?: string;
  /** A severity other than the rule's, for a milder case of it. */
  readonly severity?: RuleSeverity;
}

/** A rule over a whole app: its id, severity and documentation beside its check, as cdk-nag writes its rules. */
export interface DesignRule {
  readonly id: string;
  readonly severity: RuleSeverity;
  /** What the rule looks for, in one sentence. */
  readonly what: string;
  /** Why it matters. */
  readonly why: string;
  /** How to fix it. */
  readonly fix: string;
  check(model: DesignModel): Finding[];
}
