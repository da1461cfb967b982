import type { Db } from '../../db/connect.js';

/** What a new user needs to see an order flow in `npm run dev`: a shop that accepts pushes. */
export async function seedDemoData(db: Db): Promise<void> {
  await db
    .insertInto('shops')
    .values({ id: 'demo-shop', platform: 'own', name: 'Demo store (own site)', settings: JSON.stringify({}) })
    .onConflict((oc) => oc.column('id').doNothing())
    .execute();
}
