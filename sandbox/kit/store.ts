import type { SimOrder } from '../orders/model.js';

/**
 * In-memory orders of one simulated platform, keyed by shop. Simulators list by modified time
 * exactly as platforms do, so adapters exercise their real paging and window logic.
 */
export class SimOrderStore {
  private readonly shops = new Map<string, Map<string, SimOrder>>();
  private readonly listeners = new Set<(order: SimOrder) => void>();

  upsert(order: SimOrder): void {
    let orders = this.shops.get(order.shopKey);
    if (!orders) {
      orders = new Map();
      this.shops.set(order.shopKey, orders);
    }
    orders.set(order.id, order);
    for (const listener of this.listeners) listener(order);
  }

  get(shopKey: string, id: string): SimOrder | undefined {
    return this.shops.get(shopKey)?.get(id);
  }

  /** Finds an order by id in any shop (platform APIs often key by order id alone). */
  find(id: string): SimOrder | undefined {
    for (const orders of this.shops.values()) {
      const order = orders.get(id);
      if (order) return order;
    }
    return undefined;
  }

  /** Orders modified in [from, to), in the given order of modified time. */
  listModified(shopKey: string, from: Date, to: Date, direction: 'asc' | 'desc' = 'asc'): SimOrder[] {
    const all = [...(this.shops.get(shopKey)?.values() ?? [])].filter(
      (o) => o.modifiedAt >= from && o.modifiedAt < to,
    );
    all.sort((a, b) => a.modifiedAt.getTime() - b.modifiedAt.getTime() || a.id.localeCompare(b.id));
    return direction === 'asc' ? all : all.reverse();
  }

  /** Applies a change and bumps the modified time, as the platform would. */
  update(
    shopKey: string,
    id: string,
    change: (order: SimOrder) => void,
    at = new Date(),
  ): SimOrder | undefined {
    const order = this.get(shopKey, id);
    if (!order) return undefined;
    change(order);
    order.modifiedAt = at;
    this.upsert(order);
    return order;
  }

  onChange(listener: (order: SimOrder) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  count(shopKey?: string): number {
    if (shopKey) return this.shops.get(shopKey)?.size ?? 0;
    let n = 0;
    for (const orders of this.shops.values()) n += orders.size;
    return n;
  }
}
