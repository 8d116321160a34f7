/**
 * The layers of AR Desk, checked by `npm test` (scripts/check-structure.mjs runs dependency-cruiser
 * with this file). Each rule says in its comment what it keeps true; see ARCHITECTURE.md.
 */
module.exports = {
  forbidden: [
    {
      name: 'no-cycles',
      comment: 'No import cycle anywhere in src/, type-only imports included: a cycle means two modules are one.',
      severity: 'error',
      from: { path: '^src/' },
      to: { circular: true },
    },
    {
      name: 'shared-stands-alone',
      comment: 'src/shared runs in both processes: it imports nothing of main, preload or the renderer.',
      severity: 'error',
      from: { path: '^src/shared/' },
      to: { path: '^src/(main|preload|renderer)/' },
    },
    {
      name: 'shared-no-node',
      comment: 'src/shared is bundled into the renderer: no Node built-ins.',
      severity: 'error',
      from: { path: '^src/shared/' },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'db-knows-no-domain',
      comment: 'main/db is the ledger wrapper, schema and migrations: it imports no domain.',
      severity: 'error',
      from: { path: '^src/main/db/' },
      to: { path: '^src/main/(?!db/)' },
    },
    {
      name: 'rules-do-no-io',
      comment: 'A *.rules.ts file is pure: no repo, service, database, port or Node I/O module.',
      severity: 'error',
      from: { path: '\\.rules\\.ts$' },
      to: {
        path: ['\\.(repo|service|handlers)\\.ts$', '^src/main/db/connection', '^node_modules/(better-sqlite3|pg|kysely|nodemailer)/'],
      },
    },
    {
      name: 'rules-no-node-io',
      comment: 'A *.rules.ts file does no I/O: no fs, net, child_process and the like.',
      severity: 'error',
      from: { path: '\\.rules\\.ts$' },
      to: { dependencyTypes: ['core'], path: '^(fs|node:fs|net|node:net|child_process|node:child_process|http|node:http|https|node:https|dgram|node:dgram)' },
    },
    {
      name: 'no-service-to-service',
      comment: 'A service never imports another service: a shared need is a repo query, a rules function, or a port passed in by createCore.',
      severity: 'error',
      from: { path: '\\.service\\.ts$' },
      to: { path: '\\.service\\.ts$' },
    },
    {
      name: 'core-is-composition-root',
      comment: 'Only the transports, the shell and the runtime import core.ts; services get their deps from deps.ts.',
      severity: 'error',
      from: { path: '^src/main/', pathNot: '^src/main/(index|runtime|core)\\.ts$|^src/main/(ipc|cli)/|\\.handlers\\.ts$' },
      to: { path: '^src/main/core\\.ts$' },
    },
    {
      name: 'electron-only-in-the-shell',
      comment: 'The core runs in Node for the CLI, the bridge and tests: electron is imported by the shell alone.',
      severity: 'error',
      from: { path: '^src/main/', pathNot: '^src/main/(index\\.ts|shell/)' },
      to: { path: '^node_modules/electron/' },
    },
    {
      name: 'renderer-features-are-leaves',
      comment: 'A renderer feature imports only lib/, components/, the shared code and its own folder; never another feature.',
      severity: 'error',
      from: { path: '^src/renderer/src/features/([^/]+)/' },
      to: { path: '^src/renderer/src/features/', pathNot: '^src/renderer/src/features/$1/' },
    },
    {
      name: 'renderer-lib-and-components-below-features',
      comment: 'lib/ and components/ are below the features: they import no feature and no app shell.',
      severity: 'error',
      from: { path: '^src/renderer/src/(lib|components)/' },
      to: { path: '^src/renderer/src/(features|app)/' },
    },
    {
      name: 'renderer-no-main',
      comment: 'The renderer reaches main only through the contract and the typed api.',
      severity: 'error',
      from: { path: '^src/renderer/' },
      to: { path: '^src/(main|preload)/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    parser: 'swc',
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.node.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'] },
    exclude: { path: '^(out|dist|node_modules)/' },
  },
};
