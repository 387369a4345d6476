/**
 * Fails when the public API in `.jsii` has an undocumented type, property, method or parameter. jsii itself only
 * warns about language problems (reserved words); an undocumented parameter reaches every language's docs and
 * Construct Hub as an empty cell. Run after `jsii` (post-compile); test/packaging/api-docs.test.ts tests it.
 *
 * Usage: ts-node --transpile-only scripts/check-api-docs.ts [path/to/.jsii]
 */
import * as fs from 'fs';
import * as path from 'path';
import { loadAssemblyFromFile } from '@jsii/spec';

interface Documented { readonly docs?: { readonly summary?: string } }
interface Parameter extends Documented { readonly name: string }
interface Callable extends Documented { readonly name?: string; readonly parameters?: Parameter[]; readonly locationInModule?: { line: number } }
interface Type extends Documented {
  readonly locationInModule?: { filename: string; line: number };
  readonly initializer?: Callable;
  readonly methods?: Callable[];
  readonly properties?: (Documented & { name: string; locationInModule?: { line: number } })[];
  readonly members?: (Documented & { name: string })[];
}

/** Every undocumented element of the assembly, as `<fqn>[.member][ parameter] (file:line)`. */
export function undocumented(assembly: { types?: Record<string, Type> }): string[] {
  const found: string[] = [];
  for (const [fqn, type] of Object.entries(assembly.types ?? {})) {
    const file = type.locationInModule?.filename ?? '?';
    const at = (line?: number) => `${file}:${line ?? type.locationInModule?.line ?? '?'}`;
    if (!type.docs?.summary) found.push(`type ${fqn} (${at()})`);
    const callables: Callable[] = [...(type.initializer ? [{ ...type.initializer, name: '<constructor>' }] : []), ...(type.methods ?? [])];
    for (const m of callables) {
      if (m.name !== '<constructor>' && !m.docs?.summary) found.push(`method ${fqn}.${m.name} (${at(m.locationInModule?.line)})`);
      for (const p of m.parameters ?? []) {
        if (!p.docs?.summary) found.push(`parameter ${p.name} of ${fqn}.${m.name} (${at(m.locationInModule?.line)}): add @param ${p.name}`);
      }
    }
    for (const p of type.properties ?? []) {
      if (!p.docs?.summary) found.push(`property ${fqn}.${p.name} (${at(p.locationInModule?.line)})`);
    }
    for (const m of type.members ?? []) {
      if (!m.docs?.summary) found.push(`enum member ${fqn}.${m.name} (${at()})`);
    }
  }
  return found.sort();
}

if (require.main === module) {
  const file = process.argv[2] ?? path.join(__dirname, '..', '.jsii');
  if (!fs.existsSync(file)) {
    console.error(`${file} not found: run \`npx projen compile\` first`);
    process.exit(1);
  }
  // `.jsii` may be a redirect to the compressed `.jsii.gz`: @jsii/spec follows it, as every jsii tool does.
  const missing = undocumented(loadAssemblyFromFile(file, false) as unknown as Parameters<typeof undocumented>[0]);
  if (missing.length > 0) {
    console.error(`${missing.length} undocumented element(s) in the public API:\n  ${missing.join('\n  ')}`);
    process.exit(1);
  }
  console.log(`API docs: every type, property, method and parameter in ${path.relative(process.cwd(), file) || file} is documented`);
}
