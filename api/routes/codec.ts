import type { FastifyInstance } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { temporalUiUrl, type Config } from '../../config/index.js';
import { dataKeyring } from '../../db/crypto/data-keys.js';
import { EncryptionCodec } from '../../services/temporal/payload-codec.js';
import { CODEC_COOKIE, credentialOf } from '../auth/plugin.js';
import type { ApiDeps } from '../deps.js';
import { HttpProblem } from '../errors.js';

/**
 * The remote payload codec Temporal Web and the Temporal CLI call to show encrypted histories in
 * the clear (https://docs.temporal.io/production-deployment/data-encryption): POST a JSON
 * `{ payloads: [{ metadata: { key: base64 }, data: base64 }] }`, get the same shape back.
 * Decoding reveals buyers' data, so only ops (and admin) may call it; browsers may call it from the
 * origins in CODEC_CORS_ORIGINS (Temporal Web), with the `erp_codec` cookie that
 * `POST /codec/session` sets (a browser cannot add our API key to Temporal Web's requests).
 */

const Base64 = z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/, 'must be base64');
const WirePayload = z.object({
  metadata: z.record(z.string(), Base64).optional(),
  data: Base64.optional(),
});
const Payloads = z.object({ payloads: z.array(WirePayload).max(10_000) });
type WirePayload = z.infer<typeof WirePayload>;

const CODEC_ROLES = ['ops'] as const;

function fromWire(p: WirePayload) {
  return {
    metadata: Object.fromEntries(
      Object.entries(p.metadata ?? {}).map(([k, v]) => [k, new Uint8Array(Buffer.from(v, 'base64'))]),
    ),
    data: new Uint8Array(Buffer.from(p.data ?? '', 'base64')),
  };
}

function toWire(p: { metadata?: Record<string, Uint8Array> | null; data?: Uint8Array | null }): WirePayload {
  return {
    metadata: Object.fromEntries(
      Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v).toString('base64')]),
    ),
    data: Buffer.from(p.data ?? new Uint8Array()).toString('base64'),
  };
}

/** Temporal Web's origin(s): configured, or where the dev stack serves it (both host spellings). */
export function codecCorsOrigins(config: Config): string[] {
  if (config.CODEC_CORS_ORIGINS) {
    return config.CODEC_CORS_ORIGINS.split(',')
      .map((o) => o.trim().replace(/\/$/, ''))
      .filter(Boolean);
  }
  const ui = new URL(temporalUiUrl(config));
  const origins = [ui.origin];
  if (ui.hostname === 'localhost') origins.push(`${ui.protocol}//127.0.0.1:${ui.port}`);
  if (ui.hostname === '127.0.0.1') origins.push(`${ui.protocol}//localhost:${ui.port}`);
  return origins;
}

/**
 * CORS for Temporal Web only: its origins, with credentials (the cookie), on /codec/* only.
 * Installed before auth, so a refused call still reaches the page as a readable 401 or 403.
 */
export function installCodecCors(app: FastifyInstance, config: Config): void {
  const origins = new Set(codecCorsOrigins(config));
  app.addHook('onRequest', async (request, reply) => {
    if (!request.url.startsWith('/codec/')) return;
    const origin = request.headers.origin;
    if (!origin || !origins.has(origin)) return;
    reply.header('access-control-allow-origin', origin);
    reply.header('access-control-allow-credentials', 'true');
    reply.header('vary', 'Origin');
    if (request.method === 'OPTIONS') {
      reply.header('access-control-allow-methods', 'POST, OPTIONS');
      reply.header('access-control-allow-headers', 'content-type, authorization, x-namespace');
      reply.header('access-control-max-age', '600');
      return reply.code(204).send();
    }
  });
}

export const codecRoutes: FastifyPluginAsyncZod<ApiDeps> = async (app, { config }) => {
  const codec = new EncryptionCodec(dataKeyring(config));

  for (const direction of ['decode', 'encode'] as const) {
    app.post(
      `/codec/${direction}`,
      {
        config: { roles: CODEC_ROLES },
        schema: {
          tags: ['ops'],
          summary:
            direction === 'decode'
              ? 'Temporal payload codec: decrypt payloads for Temporal Web and the CLI'
              : 'Temporal payload codec: encrypt payloads (Temporal Web encodes signal inputs here)',
          body: Payloads,
          response: { 200: Payloads },
        },
      },
      async (request) => {
        const payloads = request.body.payloads.map(fromWire);
        try {
          const out = direction === 'decode' ? await codec.decode(payloads) : await codec.encode(payloads);
          return { payloads: out.map(toWire) };
        } catch (err) {
          throw new HttpProblem(422, `payloads could not be ${direction}d: ${(err as Error).message}`);
        }
      },
    );
  }

  app.post(
    '/codec/session',
    {
      config: { roles: CODEC_ROLES },
      schema: {
        tags: ['ops'],
        summary: 'Let this browser use the codec from Temporal Web',
        description:
          'Sets an HttpOnly cookie, sent only to /codec/, holding the credentials of this request, so Temporal Web (with "include cross-origin credentials") can decode histories.',
        response: { 204: z.null() },
      },
    },
    async (request, reply) => {
      const token = credentialOf(request);
      if (!token) throw new HttpProblem(401, 'authentication required', [], 'UNAUTHENTICATED');
      const secure = request.protocol === 'https' ? '; Secure' : '';
      reply.header(
        'set-cookie',
        `${CODEC_COOKIE}=${encodeURIComponent(token)}; Path=/codec; HttpOnly; SameSite=Lax; Max-Age=43200${secure}`,
      );
      return reply.code(204).send(null);
    },
  );
};
