/**
 * Summarises a V8 .cpuprofile (`node --cpu-prof`): self time by function and by module
 * (an npm package, a folder of the app, a Node internal), so a profile of the app under load
 * says where an upload's CPU goes without opening DevTools.
 * `npx tsx scripts/bench/profile-summary.ts FILE.cpuprofile [--top 20] [--uploads N] [--from MS --to MS]`
 */
import fs from 'node:fs';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

export interface ProfileSummary {
  /** Sampled wall time, ms. */
  totalMs: number;
  /** Time on the CPU (not idle), ms. */
  busyMs: number;
  functions: { name: string; module: string; selfMs: number; share: number }[];
  modules: { module: string; selfMs: number; share: number }[];
}

/** Where a script URL belongs: `node_modules/<package>`, `src/<folder>`, `node:<area>`, … */
export function moduleOf(url: string, functionName: string): string {
  if (url === '') return functionName.startsWith('(') ? functionName : '(native)';
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1]!;
  const app = /\/(?:dist\/)?(src|emulator)\/(?:([^/]+)\/)?[^/]+$/.exec(url);
  if (app) return app[2] ? `${app[1]}/${app[2]}` : `${app[1]}/(top)`;
  const internal = /^node:(?:internal\/)?([^/]+)/.exec(url);
  if (internal) return `node:${internal[1]}`;
  return url;
}

/**
 * Self time of the samples between `window.fromMs` and `window.toMs` after the profile started
 * (all of them by default): a window leaves start-up and warm-up out.
 */
export function summarise(profile: CpuProfile, top = 20, window: { fromMs?: number; toMs?: number } = {}): ProfileSummary {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const selfUs = new Map<number, number>();
  const from = (window.fromMs ?? 0) * 1000;
  const to = (window.toMs ?? Infinity) * 1000;
  let at = 0;
  for (let i = 0; i < profile.samples.length; i++) {
    at += profile.timeDeltas[i] ?? 0;
    if (at < from || at > to) continue;
    const id = profile.samples[i]!;
    selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
  }
  const functions = new Map<string, { name: string; module: string; us: number }>();
  const modules = new Map<string, number>();
  let totalUs = 0;
  let idleUs = 0;
  for (const [id, us] of selfUs) {
    const { functionName, url, lineNumber } = byId.get(id)!.callFrame;
    totalUs += us;
    if (functionName === '(idle)') {
      idleUs += us;
      continue;
    }
    const module = moduleOf(url, functionName);
    const key = `${functionName}|${url}|${lineNumber}`;
    const entry = functions.get(key) ?? { name: `${functionName || '(anonymous)'}${url ? ` ${url.replace(/^.*\/(node_modules|dist|src)\//, '$1/')}:${lineNumber + 1}` : ''}`, module, us: 0 };
    entry.us += us;
    functions.set(key, entry);
    modules.set(module, (modules.get(module) ?? 0) + us);
  }
  const busyUs = totalUs - idleUs;
  const ms = (us: number) => Math.round(us / 100) / 10;
  const share = (us: number) => Math.round((us / busyUs) * 1000) / 10;
  return {
    totalMs: ms(totalUs),
    busyMs: ms(busyUs),
    functions: [...functions.values()].sort((a, b) => b.us - a.us).slice(0, top).map((f) => ({ name: f.name, module: f.module, selfMs: ms(f.us), share: share(f.us) })),
    modules: [...modules.entries()].sort((a, b) => b[1] - a[1]).slice(0, top).map(([module, us]) => ({ module, selfMs: ms(us), share: share(us) })),
  };
}

/** The summary as text, optionally per upload. */
export function renderSummary(summary: ProfileSummary, uploads?: number): string {
  const per = (msValue: number) => (uploads ? ` (${(msValue / uploads).toFixed(3)} ms/upload)` : '');
  return [
    `sampled ${summary.totalMs} ms, busy (not idle) ${summary.busyMs} ms${per(summary.busyMs)}`,
    '',
    'self time by module:',
    ...summary.modules.map((m) => `  ${String(m.share).padStart(5)} %  ${String(m.selfMs).padStart(8)} ms  ${m.module}`),
    '',
    'self time by function:',
    ...summary.functions.map((f) => `  ${String(f.share).padStart(5)} %  ${String(f.selfMs).padStart(8)} ms  ${f.name}  [${f.module}]`),
  ].join('\n');
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { values, positionals } = parseArgs({ allowPositionals: true, options: { top: { type: 'string', default: '20' }, uploads: { type: 'string' }, from: { type: 'string' }, to: { type: 'string' } } });
  for (const file of positionals) {
    const profile = JSON.parse(fs.readFileSync(file, 'utf8')) as CpuProfile;
    process.stdout.write(`== ${file}\n${renderSummary(summarise(profile, Number(values.top), { fromMs: values.from ? Number(values.from) : undefined, toMs: values.to ? Number(values.to) : undefined }), values.uploads ? Number(values.uploads) : undefined)}\n\n`);
  }
}
