/**
 * Summarises a sampling heap profile (`probe.ts --alloc FILE`): bytes allocated per upload by
 * module (an npm package, a folder of the app, Node's internals) and by function. "By caller"
 * charges each sample to the innermost npm package or app folder on its stack, so what Node's
 * http client allocates for axios is axios's.
 * `npx tsx scripts/bench/allocation-summary.ts FILE --uploads N [--top 25]`
 */
import fs from 'node:fs';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { moduleOf } from './profile-summary.js';

interface SamplingNode {
  callFrame: { functionName: string; url: string; lineNumber: number };
  selfSize: number;
  children?: SamplingNode[];
}

export interface AllocationSummary {
  kbPerUpload: number;
  byModule: [string, number][];
  byCaller: [string, number][];
  byFunction: [string, number][];
}

export function summariseAllocations(profile: { head: SamplingNode }, uploads: number, top = 25): AllocationSummary {
  const byModule = new Map<string, number>();
  const byCaller = new Map<string, number>();
  const byFunction = new Map<string, number>();
  let total = 0;
  const add = (map: Map<string, number>, key: string, bytes: number) => map.set(key, (map.get(key) ?? 0) + bytes);
  const walk = (node: SamplingNode, caller: string | null) => {
    const module = moduleOf(node.callFrame.url, node.callFrame.functionName);
    const own = module.startsWith('node:') || module.startsWith('(') ? caller : module;
    if (node.selfSize > 0) {
      total += node.selfSize;
      add(byModule, module, node.selfSize);
      add(byCaller, own ?? module, node.selfSize);
      add(byFunction, `${node.callFrame.functionName || '(anonymous)'} [${module}]`, node.selfSize);
    }
    for (const child of node.children ?? []) walk(child, own);
  };
  walk(profile.head, null);
  const perUpload = (entries: Map<string, number>): [string, number][] =>
    [...entries].sort((a, b) => b[1] - a[1]).slice(0, top).map(([k, v]) => [k, Math.round((v / uploads / 1024) * 10) / 10]);
  return { kbPerUpload: Math.round((total / uploads / 1024) * 10) / 10, byModule: perUpload(byModule), byCaller: perUpload(byCaller), byFunction: perUpload(byFunction) };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const { values, positionals } = parseArgs({ allowPositionals: true, options: { uploads: { type: 'string' }, top: { type: 'string', default: '25' } } });
  const summary = summariseAllocations(JSON.parse(fs.readFileSync(positionals[0]!, 'utf8')), Number(values.uploads ?? 1), Number(values.top));
  const table = (title: string, rows: [string, number][]) => `${title}\n${rows.map(([k, v]) => `${String(v).padStart(8)} KB  ${k}`).join('\n')}\n`;
  process.stdout.write(`allocated: ${summary.kbPerUpload} KB per upload\n\n${table('by module:', summary.byModule)}\n${table('by caller (innermost package or app folder on the stack):', summary.byCaller)}\n${table('by function:', summary.byFunction)}`);
}
