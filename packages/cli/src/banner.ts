import { mintToken } from "@tiffin/host-http";
import { type Config, DEMO_IDS, isEmbedded } from "@tiffin/runtime";

/** Prints where the API is and ready-made curl lines with dev tokens, so a newcomer can place an order at once. */
export async function printBanner(options: { url: string; secret: string; secretNote: string | null; config: Config }): Promise<void> {
  const { url, secret, config } = options;
  const customer = await mintToken(secret, { role: "customer", sub: DEMO_IDS.customer });
  const staff = await mintToken(secret, { role: "restaurant", sub: "staff-demo", restaurantId: DEMO_IDS.restaurant });
  const courier = await mintToken(secret, { role: "courier", sub: DEMO_IDS.courier });
  const admin = await mintToken(secret, { role: "admin", sub: "admin-demo" });
  const order = JSON.stringify({
    restaurantId: DEMO_IDS.restaurant,
    items: [{ itemId: DEMO_IDS.item, quantity: 1, options: DEMO_IDS.options }],
    deliveryAddress: { lat: 52.521, lng: 13.41, line1: "Alexanderplatz 1" },
  });
  const lines = [
    "",
    `Tiffin is running at ${url}  (${isEmbedded(config) ? `embedded PGlite in ${config.dataDir}` : "PostgreSQL"}, broker ${config.broker.kind}, kitchen ${config.kitchen})`,
    `  API docs:  ${url}/docs     OpenAPI: ${url}/openapi.json     metrics: ${url}/metrics`,
    ...(options.secretNote === null ? [] : [`  ${options.secretNote}`]),
    "",
    "Try it (tokens are valid for 12 hours; mint more with `tiffin token --role customer --sub me`):",
    `  export CUSTOMER=${customer}`,
    `  export STAFF=${staff}`,
    `  export COURIER=${courier}`,
    `  export ADMIN=${admin}`,
    `  curl -s '${url}/v1/restaurants?lat=52.52&lng=13.405'`,
    `  curl -s ${url}/v1/restaurants/${DEMO_IDS.restaurant}/menu`,
    `  curl -s -X POST ${url}/v1/orders -H "Authorization: Bearer $CUSTOMER" -H "Idempotency-Key: $(date +%s%N)" -H 'Content-Type: application/json' -d '${order}'`,
    `  curl -s ${url}/v1/orders -H "Authorization: Bearer $CUSTOMER"`,
    `  curl -sN ${url}/v1/orders/<id>/stream -H "Authorization: Bearer $CUSTOMER"`,
    ...(config.kitchen === "manual"
      ? [`  curl -s -X POST ${url}/v1/restaurants/${DEMO_IDS.restaurant}/orders/<id>/accept -H "Authorization: Bearer $STAFF"`]
      : []),
    `  curl -s ${url}/v1/couriers/me/offers -H "Authorization: Bearer $COURIER"`,
    `  curl -s ${url}/admin/sagas -H "Authorization: Bearer $ADMIN"`,
    "",
  ];
  process.stdout.write(`${lines.join("\n")}\n`);
}
