import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const SKIP = new Set(['node_modules', '.git', 'dist', 'coverage', 'test-results']);

/** Every file (path → size:mtime) under the given folders, for "nothing was written" checks. */
export function snapshotFiles(roots: string[] = [process.cwd(), os.tmpdir()]): Map<string, string> {
  const files = new Map<string, string>();
  const walk = (dir: string, depth: number) => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      if (SKIP.has(entry.name)) continue;
      const full = path.join(dir, entry.name);
      if (entry.isDirectory() && depth < 6) walk(full, depth + 1);
      else if (entry.isFile()) {
        try {
          const stat = fs.statSync(full);
          files.set(full, `${stat.size}:${stat.mtimeMs}`);
        } catch {
          // A file another process removed meanwhile is not ours.
        }
      }
    }
  };
  for (const root of roots) walk(root, 0);
  return files;
}

/** Files that are new or changed in `after`. */
export function changedFiles(before: Map<string, string>, after: Map<string, string>): string[] {
  return [...after].filter(([file, stamp]) => before.get(file) !== stamp).map(([file]) => file);
}
