/**
 * A value built on first use and kept. The modules under domain/lazy/ define their zod schemas this
 * way because the workflow bundle imports them: every workflow the worker starts or replays loads
 * its own copy of the bundle's modules, and a schema built at module load cost every order and
 * shipment its CPU and memory although only a person's Update ever parses with one
 * (docs/benchmarks.md, "Schemas built on first use"). The API and activities import the eager
 * `…Schema` constants of the modules beside them (domain/order.ts, domain/review.ts, …): the same
 * objects.
 */
export function builtOnce<T>(build: () => T): () => T {
  let built: { value: T } | undefined;
  return () => (built ??= { value: build() }).value;
}
