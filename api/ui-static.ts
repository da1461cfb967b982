import { existsSync } from 'node:fs';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';

/** Where the web UI lives: every page is under this prefix, so no page path meets an API path. */
export const UI_PREFIX = '/app/';

/**
 * Serves the built web UI (ui/dist) at /app/ with a single-page fallback: a path under /app/ that
 * names no file gets index.html and the UI's router shows the page, so a reloaded or bookmarked
 * `/app/orders/…` works. API routes keep their paths (`/orders` is always the API); `/` sends a
 * browser to the UI. A missing asset (a name with an extension) is a 404, never HTML posing as JS.
 */
export async function serveUi(app: FastifyInstance, options: { dir: string }): Promise<void> {
  const root = path.resolve(options.dir);
  const built = existsSync(path.join(root, 'index.html'));
  if (built) {
    await app.register(fastifyStatic, {
      root,
      serve: false,
      // Vite puts a content hash in every asset's name; index.html must always be fetched anew.
      setHeaders: (res, file) => {
        res.header(
          'cache-control',
          file.includes(`${path.sep}assets${path.sep}`) ? 'public, max-age=31536000, immutable' : 'no-cache',
        );
      },
    });
  }

  const page = { config: { public: true }, schema: { hide: true } } as const;
  app.get('/', page, (_request, reply) => reply.redirect(UI_PREFIX));
  app.get('/app', page, (_request, reply) => reply.redirect(UI_PREFIX));
  app.get('/app/*', page, (request, reply) => {
    if (!built) {
      return reply
        .code(503)
        .type('text/html; charset=utf-8')
        .send('<p>The web UI is not built yet: run <code>npm run ui:build</code> (npm run dev does it).</p>');
    }
    const rest = (request.params as { '*': string })['*'];
    const file = path.resolve(root, rest);
    const inside = file.startsWith(root + path.sep);
    if (inside && rest && existsSync(file)) return reply.sendFile(path.relative(root, file));
    if (/\.[a-z0-9]+$/i.test(rest)) {
      return reply
        .code(404)
        .send({ statusCode: 404, error: 'Not Found', message: `no file ${UI_PREFIX}${rest}` });
    }
    return reply.sendFile('index.html');
  });
}
