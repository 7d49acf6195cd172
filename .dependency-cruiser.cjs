// Import-direction rules (STYLE.md §9), checked by `npm test` and `npm run lint:deps`.
module.exports = {
  forbidden: [
    { name: 'no-circular', severity: 'error', comment: 'Import cycles make load order fragile.', from: {}, to: { circular: true } },
    {
      name: 'domain-is-a-leaf',
      severity: 'error',
      comment: 'domain/ is pure: it imports nothing from the rest of the app.',
      from: { path: '^domain/' },
      to: { path: '^(server|rooms|client|admin|test|migrations)/' },
    },
    {
      name: 'domain-is-pure',
      severity: 'error',
      comment: 'domain/ uses no I/O, framework or Node built-in.',
      from: { path: '^domain/' },
      to: {
        dependencyTypes: ['core', 'npm', 'npm-dev', 'npm-optional', 'npm-peer', 'npm-no-pkg', 'npm-unknown'],
        pathNot: '^node_modules/(zod|@noble/hashes)/',
      },
    },
    {
      name: 'no-entry-point-imports',
      severity: 'error',
      comment: 'Composition roots and CLIs are never imported.',
      from: {},
      to: { path: '^server/(main|worker)\\.ts$|^server/cli/(?!operator\\.ts|cli-context\\.ts)' },
    },
    {
      name: 'production-never-imports-tests',
      severity: 'error',
      from: { pathNot: '^test/' },
      to: { path: '^test/' },
    },
    {
      name: 'rooms-are-glue',
      severity: 'error',
      comment: 'Rooms call services; they never touch the ORM, HTTP, workers or Redis directly.',
      from: { path: '^rooms/' },
      to: {
        path: '^server/(db|http|workers)/|^server/lib/(?!logger\\.ts|unavailable\\.ts)|node_modules/(@mikro-orm|ioredis|bullmq|express)/',
      },
    },
    {
      name: 'services-below-transports',
      severity: 'error',
      comment: 'Services know nothing of HTTP or rooms.',
      from: { path: '^server/services/' },
      to: { path: '^(server/http|rooms)/' },
    },
    {
      name: 'infra-below-transports',
      severity: 'error',
      comment: 'Infrastructure (Redis helpers, batching, the outbox relay) knows nothing of HTTP, rooms or workers.',
      from: { path: '^server/infra/' },
      to: { path: '^(server/(http|workers)|rooms)/' },
    },
    {
      name: 'db-layer-is-low',
      severity: 'error',
      from: { path: '^server/db/' },
      to: { path: '^(server/(services|http|workers)|rooms)/' },
    },
    {
      name: 'clients-share-types-only',
      severity: 'error',
      comment: 'client/ and admin/ never import server runtime code.',
      from: { path: '^(client|admin)/' },
      to: { path: '^(server|migrations)/', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'client-reads-room-contracts-as-types',
      severity: 'error',
      comment:
        "client/ takes a room's wire contract (rooms/<room>/<room>.messages.ts, the synchronized <room>.state.ts) with `import type` only: no room, zod or server code reaches the bundle (STYLE.md §9).",
      from: { path: '^client/' },
      to: { path: '^rooms/', pathNot: '^rooms/[^/]+/[^/]+[.](messages|state)[.]ts$' },
    },
    {
      name: 'client-imports-rooms-type-only',
      severity: 'error',
      comment: 'An edge from client/ to rooms/ is `import type` (or `export type … from`), never a runtime import.',
      from: { path: '^client/' },
      to: { path: '^rooms/', dependencyTypesNot: ['type-only'] },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.js', '.json'] },
    exclude: { path: '(^|/)(dist|node_modules)/' },
  },
};
