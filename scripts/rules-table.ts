/**
 * Writes the README's rule table from the rule data (`RuleCatalog.markdownTable()`), between the markers
 * `<!-- rules-table:start -->` and `<!-- rules-table:end -->`. test/validation/rules/catalog.test.ts fails when the
 * README and the data differ. Run: npx ts-node --transpile-only scripts/rules-table.ts
 */
import * as fs from 'fs';
import * as path from 'path';
import { RuleCatalog } from '../src/validation/rule-catalog';

export const START = '<!-- rules-table:start -->';
export const END = '<!-- rules-table:end -->';

const readme = path.join(__dirname, '..', 'README.md');
const text = fs.readFileSync(readme, 'utf8');
const start = text.indexOf(START);
const end = text.indexOf(END);
if (start < 0 || end < start) throw new Error(`README.md has no ${START} ... ${END} section`);
fs.writeFileSync(readme, `${text.slice(0, start + START.length)}\n${RuleCatalog.markdownTable()}\n${text.slice(end)}`);
console.log(`README.md: ${RuleCatalog.all().length} rules`);
