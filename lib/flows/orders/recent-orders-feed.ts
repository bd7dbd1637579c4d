/**
 * Folds the fraud score's per-order files into the day files each scheduler pass (the scheduler's
 * lease makes it the single writer). A feed without units: polling is how the pipeline runs
 * something every minute.
 */
import { defineFeed } from '../../sync';
import { compactRecentOrders } from './recent-orders';

export const recentOrdersCompactionFeed = defineFeed({
  name: 'recent-orders-compaction',
  async poll(_cursor, ctx) {
    const { folded } = await compactRecentOrders(ctx.files, ctx.clock.now());
    if (folded) ctx.logger.info('recent orders compacted', { folded });
    return { units: [], nextCursor: String(ctx.clock.now() - (ctx.clock.now() % 60_000)) };
  },
});
