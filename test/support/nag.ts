/**
 * Runs cdk-nag's AwsSolutions pack over an app and returns its findings as `<rule> at <construct path>` lines, so a
 * test can assert a construct is clean or see exactly what is not. cdk-nag 3 is a policy validation plugin;
 * `validateScope` runs the same checks directly and returns the report instead of failing synthesis.
 */
import { App } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';

export function nagFindings(build: (app: App) => void): string[] {
  const app = new App();
  build(app);
  const report = new AwsSolutionsChecks(app).validateScope(app);
  return report.violations.flatMap((v) =>
    v.violatingResources.map((r) => `${v.ruleName} at ${(r as { constructPath?: string }).constructPath ?? r.resourceLogicalId}`));
}
