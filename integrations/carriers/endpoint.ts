/**
 * The URL of an API path under a configured base. Unlike `new URL(path, base)` it keeps the base's
 * own path, so a simulator mounted under a prefix (`http://127.0.0.1:4000/sf`) works like the real
 * host.
 */
export function endpoint(baseUrl: string, path: string): string {
  return baseUrl.replace(/\/+$/, '') + path;
}
