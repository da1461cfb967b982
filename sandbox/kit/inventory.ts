/**
 * What a simulated platform shows as sellable per listing, keyed by shop and the platform's own
 * listing key (Taobao `num_iid:sku_id`, Shopify `inventory_item_id@location_id`, Shopee
 * `item_id:model_id`). Tests and the demo list goods here, delist them, change a quantity behind
 * the ERP's back (drift), and read what the uploads left; every accepted upload is counted.
 */
export type SimListingStatus = 'listed' | 'delisted';

export interface SimListing {
  quantity: number;
  status: SimListingStatus;
  updates: number;
  updatedAt?: Date;
}

export class SimInventory {
  private readonly listings = new Map<string, SimListing>();
  /** Every stock call the simulators answered (accepted or refused), per shop. */
  private readonly calls = new Map<string, number>();

  private static key(shopKey: string, listingKey: string): string {
    return `${shopKey}\u0000${listingKey}`;
  }

  list(shopKey: string, listingKey: string, quantity = 0): void {
    this.listings.set(SimInventory.key(shopKey, listingKey), { quantity, status: 'listed', updates: 0 });
  }

  delist(shopKey: string, listingKey: string): void {
    const listing = this.get(shopKey, listingKey);
    if (listing) listing.status = 'delisted';
  }

  get(shopKey: string, listingKey: string): SimListing | undefined {
    return this.listings.get(SimInventory.key(shopKey, listingKey));
  }

  /** Listings of a shop whose key starts with `prefix` (the SKUs of one item). */
  under(shopKey: string, prefix: string): [string, SimListing][] {
    const start = SimInventory.key(shopKey, prefix);
    return [...this.listings.entries()]
      .filter(([key]) => key.startsWith(start))
      .map(([key, listing]) => [key.slice(shopKey.length + 1), listing]);
  }

  /** A quantity changed on the platform itself (a seller's edit in the backend, an oversold order). */
  drift(shopKey: string, listingKey: string, quantity: number): void {
    const listing = this.get(shopKey, listingKey);
    if (listing) listing.quantity = quantity;
  }

  /** Applies an accepted upload. */
  set(shopKey: string, listingKey: string, quantity: number, at: Date): void {
    const listing = this.get(shopKey, listingKey);
    if (!listing) return;
    listing.quantity = quantity;
    listing.updates += 1;
    listing.updatedAt = at;
  }

  countCall(shopKey: string): void {
    this.calls.set(shopKey, (this.calls.get(shopKey) ?? 0) + 1);
  }

  callsOf(shopKey?: string): number {
    if (shopKey !== undefined) return this.calls.get(shopKey) ?? 0;
    let n = 0;
    for (const c of this.calls.values()) n += c;
    return n;
  }
}
