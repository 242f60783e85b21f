import { type ConsoleIdentity, mintToken } from "@tiffin/host-http";
import { DEMO_IDS } from "@tiffin/runtime";

/**
 * The demo identities the embedded platform offers the console: the demo customer, each demo restaurant's staff,
 * each demo courier and an admin, each with a token minted with the dev secret (as the banner's curl lines are).
 */
export async function demoIdentities(secret: string): Promise<ConsoleIdentity[]> {
  const staff = "staff-demo";
  const admin = "admin-demo";
  return Promise.all([
    mintToken(secret, { role: "customer", sub: DEMO_IDS.customer }).then((token) => ({ label: `Customer ${DEMO_IDS.customer}`, role: "customer" as const, sub: DEMO_IDS.customer, token })),
    ...DEMO_IDS.restaurants.map((restaurantId) =>
      mintToken(secret, { role: "restaurant", sub: staff, restaurantId }).then((token) => ({ label: `Staff of ${restaurantId}`, role: "restaurant" as const, sub: staff, restaurantId, token })),
    ),
    ...DEMO_IDS.couriers.map((courier) =>
      mintToken(secret, { role: "courier", sub: courier }).then((token) => ({ label: `Courier ${courier}`, role: "courier" as const, sub: courier, token })),
    ),
    mintToken(secret, { role: "admin", sub: admin }).then((token) => ({ label: "Operations admin", role: "admin" as const, sub: admin, token })),
  ]);
}
