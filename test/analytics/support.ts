import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { FlinkApplication, FlinkApplicationProps, FlinkCode } from '../../src';

export const PYJOB = path.join(__dirname, 'fixtures', 'pyjob');
export const NOJAR = path.join(__dirname, 'fixtures', 'nojar');

export function stack(region = 'eu-west-1'): Stack {
  return new Stack(new App(), 'S', { env: { region, account: '111111111111' } });
}

export function pythonCode(): FlinkCode {
  return FlinkCode.fromPythonProject(PYJOB, { entryPoint: 'main.py', jarFile: 'lib/deps.jar' });
}

export function flinkApp(s: Stack, props: Partial<FlinkApplicationProps> = {}, id = 'App'): FlinkApplication {
  return new FlinkApplication(s, id, { code: pythonCode(), ...props });
}

/** The application's L1 properties. */
export function appProps(s: Stack): any {
  const apps = Template.fromStack(s).findResources('AWS::KinesisAnalyticsV2::Application');
  const [only] = Object.values(apps);
  return (only as any).Properties;
}

/** The property groups, as a map id → properties, resolved. */
export function groups(s: Stack): Record<string, Record<string, unknown>> {
  const list = appProps(s).ApplicationConfiguration.EnvironmentProperties?.PropertyGroups ?? [];
  return Object.fromEntries(list.map((g: any) => [g.PropertyGroupId, g.PropertyMap]));
}

/** Every statement of every IAM policy of the stack. */
export function statements(s: Stack): any[] {
  const policies = Template.fromStack(s).findResources('AWS::IAM::Policy');
  return Object.values(policies).flatMap((p: any) => p.Properties.PolicyDocument.Statement);
}

export function actions(s: Stack): string[] {
  return statements(s).flatMap((st) => [st.Action].flat());
}

export function warnings(s: Stack): string[] {
  return Annotations.fromStack(s).findWarning('*', Match.anyValue()).map((m) => String(m.entry.data));
}

export function infos(s: Stack): string[] {
  return Annotations.fromStack(s).findInfo('*', Match.anyValue()).map((m) => String(m.entry.data));
}
