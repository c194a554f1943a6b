import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { productionNodeFlags, REPO_ROOT } from '../tools/spawned-server.js';

// The heap flags are part of how the server is meant to run (README, Performance): `npm start`,
// the README's process-manager command, and the processes the tests and the bench start must agree.
describe('the server’s node flags', () => {
  const manifest = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
  const flags = productionNodeFlags();

  it('are set, and npm start passes them to node', () => {
    expect(flags).toEqual(expect.arrayContaining([expect.stringMatching(/^--max-semi-space-size=\d+$/)]));
    expect(manifest.scripts.start).toBe('node $npm_package_config_node_flags dist/src/server.js');
  });

  it('are the ones in the README’s process-manager command', () => {
    const readme = fs.readFileSync(path.join(REPO_ROOT, 'README.md'), 'utf8');
    expect(readme).toContain(`node ${flags.join(' ')} dist/src/server.js`);
  });
});
