/**
 * Writes the rule table of docs/rules.md from the rule data (`RuleCatalog.markdownTable()`), between the markers
 * `<!-- rules-table:start -->` and `<!-- rules-table:end -->`. test/validation/rules/catalog.test.ts fails when the
 * table and the data differ. Run: npx ts-node --transpile-only scripts/rules-table.ts
 */
import * as fs from 'fs';
import * as path from 'path';
import { RuleCatalog } from '../src/validation/rule-catalog';

export const START = '<!-- rules-table:start -->';
export const END = '<!-- rules-table:end -->';

const readme = path.join(__dirname, '..', 'docs', 'rules.md');
const text = fs.readFileSync(readme, 'utf8');
const start = text.indexOf(START);
const end = text.indexOf(END);
if (start < 0 || end < start) throw new Error(`docs/rules.md has no ${START} ... ${END} section`);
fs.writeFileSync(readme, `${text.slice(0, start + START.length)}\n${RuleCatalog.markdownTable()}\n${text.slice(end)}`);
console.log(`docs/rules.md: ${RuleCatalog.all().length} rules`);
