import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/**
 * The layout (docs/architecture.md, "Layout"): which top-level folder may import which. Each folder
 * lists what it must not import; an import of another folder is recognised from any depth
 * (`../db/x.js`, `../../../db/x.js`), since no folder nests one named like a top-level folder.
 */
const LAYOUT = 'see docs/architecture.md, "Layout"';
const OURS = ['domain', 'workflows', 'integrations', 'activities', 'services', 'db', 'api', 'worker'];
const TOOLS = ['config', 'sandbox', 'scripts', 'bench'];
/** An import of one of these top-level folders, from any depth. */
const folder = (names) => `^(\\.\\./)+(${names.join('|')})(/|$)`;
/** Every folder of ours but these (and the folder itself). */
const allBut = (self, ...allowed) => [...OURS, ...TOOLS].filter((f) => f !== self && !allowed.includes(f));
/** Workflow modules other than the shared contracts (messages, search attributes). */
const WORKFLOW_CODE = '^(\\.\\./)+workflows/(?!(messages|search-attributes)\\.js$)';

const forbid = (regex, message, extra = {}) => ({ regex, message: `${message} (${LAYOUT})`, ...extra });

const BOUNDARIES = {
  domain: [
    forbid(folder(allBut('domain')), 'domain/ is pure: it imports nothing of ours'),
    forbid(
      '^(node:|@temporalio/|kysely$|pg$|fastify$)',
      'domain/ is pure (workflows run it): no I/O, no Temporal',
    ),
  ],
  workflows: [
    forbid(
      folder(['activities', 'integrations']),
      'Workflows import activities (and their results) as types only',
      {
        allowTypeImports: true,
      },
    ),
    forbid(
      folder(allBut('workflows', 'domain', 'activities', 'integrations')),
      'Workflows must not perform I/O',
    ),
    forbid('^(node:|kysely$|pg$|@temporalio/(client|activity|worker)$)', 'Workflows must not perform I/O'),
  ],
  integrations: [
    forbid(
      folder(allBut('integrations', 'domain', 'config')),
      'integrations/ is plain code over injected fetch and config: it imports domain/ only',
    ),
    forbid(folder(['config']), 'integrations/ takes its configuration as values', { allowTypeImports: true }),
    forbid(
      '^(@temporalio/|kysely$|pg$)',
      'integrations/ has no Temporal and no SQL: activities/ binds it to both',
    ),
  ],
  activities: [
    forbid(
      folder(allBut('activities', 'domain', 'db', 'integrations', 'services', 'config', 'workflows')),
      'activities/ binds integrations/ and db/ to Temporal',
    ),
    forbid(
      WORKFLOW_CODE,
      'activities/ imports only workflows/messages.ts: client-side starts live in services/',
    ),
    forbid(
      '^@temporalio/(workflow|worker)$',
      'activities/ runs outside the workflow sandbox and the worker setup',
    ),
  ],
  services: [
    forbid(
      folder(allBut('services', 'domain', 'db', 'integrations', 'config', 'workflows')),
      'services/ is used by the API and activities, never the reverse',
    ),
    forbid(WORKFLOW_CODE, 'services/ starts workflows by name through workflows/messages.ts'),
    forbid('^@temporalio/(workflow|activity|worker)$', 'services/ is client-side: @temporalio/client only'),
  ],
  db: [
    forbid(folder(allBut('db', 'domain', 'config')), 'db/ imports domain/ only'),
    forbid('^@temporalio/', 'db/ knows nothing of Temporal'),
  ],
  api: [
    forbid(
      folder(allBut('api', 'domain', 'db', 'services', 'integrations', 'config', 'workflows')),
      'The API talks to services/, db/ and integrations/ parsers, never to activities/',
    ),
    forbid(WORKFLOW_CODE, 'The API imports only workflows/messages.ts: starts live in services/'),
    forbid(
      '^@temporalio/(workflow|activity|worker)$',
      'The API is a Temporal client: @temporalio/client only',
    ),
  ],
  sandbox: [
    forbid(
      folder(allBut('sandbox', 'domain', 'config')),
      'Simulators share nothing with adapters: their own tables, codecs and signing',
    ),
    forbid('^@temporalio/', 'Simulators know nothing of Temporal'),
  ],
};

const NARROWER = {
  // Tables are listed by db/schema.ts; importing it back closes a circle.
  'db/tables': [
    forbid('^\\.\\./schema\\.js$', 'db/tables/* take shared column types from db/tables/columns.ts'),
  ],
  // The server registers the routes; routes get their dependencies from api/deps.ts.
  'api/routes': [
    forbid('^\\.\\./server\\.js$', 'Route modules never import api/server.ts: ApiDeps is in api/deps.ts'),
  ],
};

const boundary = (files, patterns) => ({
  files,
  rules: { 'no-restricted-imports': ['error', { patterns }] },
});

export default tseslint.config(
  {
    ignores: [
      'node_modules/**',
      'dist/**',
      '.data/**',
      'tests/.tmp/**',
      'ui/dist/**',
      'ui/src/client/schema.d.ts',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { process: 'readonly', console: 'readonly' } },
    rules: {
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-imports': 'off',
    },
  },
  ...Object.entries(BOUNDARIES).map(([name, patterns]) => boundary([`${name}/**/*.ts`], patterns)),
  // The web UI is a client of the API like any other: it reaches the API over HTTP, typed from the
  // OpenAPI document, and imports none of the server's code.
  boundary(
    ['ui/**/*.ts', 'ui/**/*.tsx'],
    [forbid(folder([...OURS, ...TOOLS]), 'ui/ talks to the API over HTTP only')],
  ),
  // A later block replaces the rule's options for its files, so it carries its folder's patterns too.
  ...Object.entries(NARROWER).map(([path, patterns]) =>
    boundary([`${path}/**/*.ts`], [...BOUNDARIES[path.split('/')[0]], ...patterns]),
  ),
);
