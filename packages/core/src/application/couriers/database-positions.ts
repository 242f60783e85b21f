import type { CourierPositions, LatestPosition, NearPosition, NearestSearch, PositionFix } from "../../ports/courier-positions.js";
import { SYSTEM_PRINCIPAL } from "../../ports/principal.js";
import type { TransactionStores, UnitOfWork } from "../../ports/unit-of-work.js";

/**
 * The default positions store: the courier directory's own position column, through the unit of work (memory,
 * PGlite or PostgreSQL). One small transaction per fix; reads join the caller's transaction when given one. Right
 * for a demo, a test or a town; a metro's rush hour wants the Redis store.
 */
export class DatabasePositions implements CourierPositions {
  constructor(private readonly uow: UnitOfWork) {}

  async record(fix: PositionFix): Promise<boolean> {
    const write = await this.uow.run(SYSTEM_PRINCIPAL, (tx) => tx.couriers.setPosition(fix.courierId, fix.position, fix.at));
    return write === "recorded";
  }

  async latest(courierId: string, tx?: TransactionStores): Promise<LatestPosition | null> {
    const read = async (stores: TransactionStores) => {
      const courier = await stores.couriers.get(courierId);
      return courier?.position && courier.positionAt ? { position: courier.position, at: courier.positionAt } : null;
    };
    return tx ? read(tx) : this.uow.run(SYSTEM_PRINCIPAL, read);
  }

  async nearest(search: NearestSearch, tx?: TransactionStores): Promise<NearPosition[]> {
    return tx ? tx.locator.nearest(search) : this.uow.run(SYSTEM_PRINCIPAL, (stores) => stores.locator.nearest(search));
  }
}
