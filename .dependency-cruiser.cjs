/**
 * The layering README's "Project layout" describes, checked by test/architecture.test.ts
 * (dependency-cruiser). Data flows one way:
 *
 *   web (src/web/, src/ops/, *.routes.ts, *.view.ts, src/<feature>/web/)
 *     -> use cases (*.service.ts and the rest of a feature folder)
 *       -> certificates / facturapi / audit / db
 *
 * Nothing imports the web layer but the composition roots (app.ts, server.ts, runtime.ts); use
 * cases return codes and facts, and only the web layer turns them into words (src/i18n);
 * src never imports the test tooling (test/, fixtures/, tools/); the emulator stands apart.
 * The web plumbing (src/web/) and the operations endpoints (src/ops/: health, readiness,
 * metrics, entry points like the routes) know no feature; a feature's web adapters
 * (src/accounts/web/: authentication, the guard) use the plumbing, never the other way round.
 */

/** Files of the web layer: plumbing, operations, routes, view models, a feature's web folder. */
const WEB = '^src/(web/|ops/|[^/]+/web/|.+\\.routes\\.ts$|.+\\.view\\.ts$)';
/** The feature folders. */
const FEATURES = '^src/(accounts|uploads|organizations|radar|certificate-removal|mail|reminders)/';
/** Files allowed to wire everything together. */
const ROOTS = '^src/(app|server|runtime)\\.ts$';
const TESTS = '\\.test\\.ts$';

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'An import cycle, at any length: split the shared part out, or invert one dependency.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'nothing-imports-the-web-layer',
      comment: 'Only the web layer itself and the composition roots (app.ts, server.ts, runtime.ts) import web code.',
      severity: 'error',
      from: { path: '^src/', pathNot: [WEB, ROOTS, TESTS] },
      to: { path: WEB },
    },
    {
      name: 'words-belong-to-the-web-layer',
      comment: 'Use cases return codes and facts; the web layer (and the start-up banner) turn them into messages.',
      severity: 'error',
      from: { path: '^src/', pathNot: [WEB, ROOTS, TESTS, '^src/i18n/'] },
      to: { path: '^src/i18n/' },
    },
    {
      name: 'certificates-are-pure',
      comment: 'The certificate inspector knows nothing of HTTP, Facturapi, the database or the features.',
      severity: 'error',
      from: { path: '^src/certificates/', pathNot: TESTS },
      to: { path: '^src/', pathNot: '^src/certificates/' },
    },
    {
      name: 'facturapi-is-only-the-client',
      comment: 'The Facturapi module depends on nothing of the app but its config and logger.',
      severity: 'error',
      from: { path: '^src/facturapi/', pathNot: TESTS },
      to: { path: '^src/', pathNot: ['^src/facturapi/', '^src/(config|logger)\\.ts$'] },
    },
    {
      name: 'db-is-the-bottom',
      comment: 'The database module knows no feature.',
      severity: 'error',
      from: { path: '^src/db/', pathNot: TESTS },
      to: { path: '^src/', pathNot: '^src/db/' },
    },
    {
      name: 'audit-knows-no-feature',
      comment: 'Features write audit events; the audit trail (its page included) does not reach back into them: it is passed what it needs.',
      severity: 'error',
      from: { path: '^src/audit/', pathNot: TESTS },
      to: { path: FEATURES },
    },
    {
      name: 'web-plumbing-knows-no-feature',
      comment: 'src/web/ and src/ops/ serve every feature and know none: a feature plugs in through app.ts (error families, the request context, guards).',
      severity: 'error',
      from: { path: '^src/(web|ops)/', pathNot: TESTS },
      to: { path: FEATURES },
    },
    {
      name: 'src-never-imports-test-tooling',
      comment: 'Tests, the SAT fixture generator and the bench tools may use src; src never uses them.',
      severity: 'error',
      from: { path: '^src/', pathNot: TESTS },
      to: { path: '^(test|fixtures|tools|scripts)/' },
    },
    {
      name: 'emulator-through-its-entry',
      comment: 'The app reaches the emulator only through emulator/index.ts (the demo start).',
      severity: 'error',
      from: { path: '^src/', pathNot: TESTS },
      to: { path: '^emulator/', pathNot: '^emulator/index\\.ts$' },
    },
    {
      name: 'emulator-stands-apart',
      comment: 'The emulator reuses nothing of the app it stands in for, so a shared mistake cannot hide.',
      severity: 'error',
      from: { path: '^emulator/' },
      to: { path: '^src/' },
    },
    {
      name: 'scripts-do-not-import-tests',
      comment: 'Scripts (demo:csd, bench) and tools use fixtures/ and tools/, never test/.',
      severity: 'error',
      from: { path: '^(scripts|tools|fixtures|emulator)/' },
      to: { path: '^test/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsConfig: { fileName: 'tsconfig.json' },
    // Type-only imports count: they are dependencies of the design too.
    tsPreCompilationDeps: true,
    enhancedResolveOptions: { extensions: ['.ts', '.js'] },
  },
};
