import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { distanceKm, planRoute, pointNear, stepToward } from "./route.js";

const alexanderplatz = { lat: 52.5219, lng: 13.4132 };
const brandenburgerTor = { lat: 52.5163, lng: 13.3777 };
const berlinPoint = fc.record({ lat: fc.double({ min: 52.4, max: 52.6, noNaN: true }), lng: fc.double({ min: 13.2, max: 13.6, noNaN: true }) });

describe("distanceKm", () => {
  it("measures a known distance across Berlin Mitte (about 2.5 km)", () => {
    expect(distanceKm(alexanderplatz, brandenburgerTor)).toBeCloseTo(2.48, 1);
    expect(distanceKm(alexanderplatz, alexanderplatz)).toBe(0);
  });
});

describe("stepToward", () => {
  it("moves the step length toward the target, and lands on it when closer than a step", () => {
    const next = stepToward(alexanderplatz, brandenburgerTor, 0.5);
    expect(distanceKm(alexanderplatz, next)).toBeCloseTo(0.5, 2);
    expect(distanceKm(next, brandenburgerTor)).toBeCloseTo(distanceKm(alexanderplatz, brandenburgerTor) - 0.5, 2);
    expect(stepToward(alexanderplatz, brandenburgerTor, 10)).toEqual(brandenburgerTor);
  });

  it("rejects a step that is not positive", () => {
    expect(() => stepToward(alexanderplatz, brandenburgerTor, 0)).toThrow(RangeError);
  });
});

describe("planRoute", () => {
  it("ends exactly at the target with hops of at most a step (within the 1% error of interpolating degrees), and is empty when already there", () => {
    fc.assert(
      fc.property(berlinPoint, berlinPoint, fc.double({ min: 0.05, max: 2, noNaN: true }), (from, to, stepKm) => {
        const route = planRoute(from, to, stepKm);
        if (distanceKm(from, to) === 0) {
          expect(route).toEqual([]);
          return;
        }
        expect(route.at(-1)).toEqual(to);
        let previous = from;
        for (const point of route) {
          expect(distanceKm(previous, point)).toBeLessThanOrEqual(stepKm * 1.01);
          previous = point;
        }
        expect(route.length).toBe(Math.ceil(distanceKm(from, to) / stepKm));
      }),
    );
  });
});

describe("pointNear", () => {
  it("stays within the radius", () => {
    fc.assert(
      fc.property(fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true }), (a, b) => {
        const draws = [a, b];
        const point = pointNear(alexanderplatz, 2, () => draws.shift() ?? 0);
        expect(distanceKm(alexanderplatz, point)).toBeLessThanOrEqual(2.001);
      }),
    );
  });
});
