import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DatabasePositions } from "../../application/couriers/database-positions.js";
import type { CourierPositions, NearestSearch } from "../../ports/courier-positions.js";
import { type StoreHarnessFactory, uid } from "../stores/harness.js";
import { northOf, randomPoint, seedCourier } from "../stores/samples.js";

/** What the positions contract runs against. */
export interface PositionsHarness {
  readonly positions: CourierPositions;
  /** Makes a courier of `city` known where the store needs it (the database stores keep positions on directory rows). */
  enroll(courierId: string, city: string): Promise<void>;
  close?(): Promise<void>;
}

export type PositionsHarnessFactory = () => Promise<PositionsHarness>;

/** The default store over a unit of work's harness (memory, PGlite, PostgreSQL). */
export const databasePositionsHarness =
  (stores: StoreHarnessFactory): PositionsHarnessFactory =>
  async () => {
    const harness = await stores();
    return {
      positions: new DatabasePositions(harness.uow),
      enroll: async (courierId, city) => void (await seedCourier(harness.uow, { id: courierId, city })),
      ...(harness.close ? { close: () => harness.close!() } : {}),
    };
  };

const ago = (seconds: number): string => new Date(Date.now() - seconds * 1000).toISOString();

/** CourierPositions: latest position that never goes back in time, and the fresh nearest search per city. */
export function describeCourierPositionsContract(name: string, factory: PositionsHarnessFactory): void {
  describe(`${name}: CourierPositions contract`, () => {
    let value: PositionsHarness | undefined;
    beforeAll(async () => {
      value = await factory();
    });
    afterAll(async () => {
      await value?.close?.();
    });
    const harness = (): PositionsHarness => {
      if (!value) throw new Error("positions harness not ready: its factory failed");
      return value;
    };

    const courier = async (city: string, id = uid("courier")) => {
      await harness().enroll(id, city);
      return id;
    };

    it("keeps each courier's latest position; an unknown courier has none", async () => {
      const { positions } = harness();
      const city = uid("city");
      const id = await courier(city);
      const here = randomPoint();
      const at = ago(5);
      expect(await positions.record({ courierId: id, city, position: here, at })).toBe(true);
      expect(await positions.latest(id)).toEqual({ position: here, at });
      expect(await positions.latest(uid("courier"))).toBeNull();
    });

    it("never goes back in time when fixes arrive out of order", async () => {
      const { positions } = harness();
      const city = uid("city");
      const id = await courier(city);
      const start = randomPoint();
      const later = { position: northOf(start, 1), at: ago(1) };
      expect(await positions.record({ courierId: id, city, ...later })).toBe(true);
      expect(await positions.record({ courierId: id, city, position: start, at: ago(3) })).toBe(false);
      expect(await positions.latest(id)).toEqual(later);
      const newest = { position: northOf(start, 2), at: ago(0) };
      expect(await positions.record({ courierId: id, city, ...newest })).toBe(true);
      expect(await positions.latest(id)).toEqual(newest);
    });

    it("finds fresh couriers of the city within the radius, nearest first, ties by id, at most the limit", async () => {
      const { positions } = harness();
      const city = uid("city");
      const centre = randomPoint();
      const fresh = ago(2);
      const place = async (km: number, options: { at?: string; city?: string; id?: string } = {}) => {
        const id = await courier(options.city ?? city, options.id);
        await positions.record({ courierId: id, city: options.city ?? city, position: northOf(centre, km), at: options.at ?? fresh });
        return id;
      };
      const [tieA, tieB] = [uid("courier-a"), uid("courier-b")].sort();
      const near = await place(0.5);
      await place(1, { id: tieB! });
      await place(1, { id: tieA! });
      const far = await place(3);
      await place(8);
      await place(1, { at: ago(600) });
      await place(1, { city: uid("city") });
      const excluded = await place(2);
      const search: NearestSearch = { city, point: centre, radiusKm: 5, freshSince: ago(60), limit: 10, exclude: [excluded] };
      const found = await positions.nearest(search);
      expect(found.map((f) => f.courierId)).toEqual([near, tieA, tieB, far]);
      expect(found[0]?.distanceKm).toBeCloseTo(0.5, 1);
      expect(found[3]).toMatchObject({ courierId: far, position: { lat: expect.closeTo(northOf(centre, 3).lat, 5) } });
      expect((await positions.nearest({ ...search, limit: 2 })).map((f) => f.courierId)).toEqual([near, tieA]);
    });

    it("moves a courier out of a city's searches when they report from another city", async () => {
      const { positions } = harness();
      const [first, second] = [uid("city"), uid("city")];
      const point = randomPoint();
      const id = await courier(first);
      await positions.record({ courierId: id, city: first, position: point, at: ago(3) });
      await harness().enroll(id, second);
      await positions.record({ courierId: id, city: second, position: point, at: ago(1) });
      const search = (city: string) => positions.nearest({ city, point, radiusKm: 1, freshSince: ago(60), limit: 5 });
      expect((await search(first)).map((f) => f.courierId)).toEqual([]);
      expect((await search(second)).map((f) => f.courierId)).toEqual([id]);
    });
  });
}
