import type { paths } from './schema';

/** The JSON a route answers with `status`, as the OpenAPI document declares it. */
export type Answer<
  P extends keyof paths,
  M extends 'get' | 'post' | 'put' | 'patch' | 'delete',
  S extends number = 200,
> = paths[P][M] extends { responses: infer R }
  ? R extends Record<S, { content: { 'application/json': infer T } }>
    ? T
    : never
  : never;

export type OrderDetail = Answer<'/orders/{id}', 'get'>;
export type OrderState = NonNullable<OrderDetail['state']>;
export type OrderRow = Answer<'/orders', 'get'>['orders'][number];
export type QueueItem = Answer<'/reviews', 'get'>['items'][number];
export type Shipment = Answer<'/shipments', 'get'>['shipments'][number];
export type ReviewBody = NonNullable<
  paths['/orders/{id}/review']['post']['requestBody']
>['content']['application/json'];
