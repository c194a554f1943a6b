import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { secureDataFolder } from './data-folder.js';
import { createTempDataDir } from '../../test/support/test-database.js';

const cleanups: Array<() => void> = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));

const mode = (file: string) => fs.statSync(file).mode & 0o777;

describe('secureDataFolder', () => {
  it('makes only our files private and leaves the operator\'s own files and the folder\'s mode alone, reporting it', () => {
    const dir = createTempDataDir();
    cleanups.push(dir.remove);
    fs.chmodSync(dir.dataDir, 0o750);
    for (const name of ['csd-relay.sqlite', 'csd-relay.sqlite-wal', 'session-secret', 'notes.txt']) {
      fs.writeFileSync(path.join(dir.dataDir, name), 'x', { mode: 0o644 });
      fs.chmodSync(path.join(dir.dataDir, name), 0o644);
    }
    const report = secureDataFolder(dir.dataDir, 'csd-relay-demo.sqlite');
    expect(report.looseFolderMode).toBe(0o750);
    expect(report.tightened.map((t) => path.basename(t.file)).sort()).toEqual(['csd-relay.sqlite', 'csd-relay.sqlite-wal', 'session-secret']);
    expect(mode(path.join(dir.dataDir, 'csd-relay-demo.sqlite'))).toBe(0o600);
    expect(mode(path.join(dir.dataDir, 'notes.txt'))).toBe(0o644);
    expect(mode(dir.dataDir)).toBe(0o750);
    expect(fs.readFileSync(path.join(dir.dataDir, 'csd-relay.sqlite'), 'utf8')).toBe('x');
  });
});
