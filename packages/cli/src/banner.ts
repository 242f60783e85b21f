import { mintToken } from "@tiffin/host-http";
import { type Config, DEMO_IDS, isEmbedded } from "@tiffin/runtime";

/** The line after which every indented banner line is bash, to be pasted in order (tests run exactly that). */
export const BANNER_WALKTHROUGH = "Follow one order from placed to delivered: paste these lines into bash, in order.";

/** Where the banner's courier waits: at the demo restaurant, so the order's offer goes to them (distance 0). */
const AT_THE_RESTAURANT = { lat: 52.5232, lng: 13.4115 };

/**
 * Prints where the API is and a walkthrough in bash with dev tokens: browse, order, the kitchen, the courier who
 * is offered the order (the banner's courier goes on shift at the restaurant, so the nearest-first strategy
 * offers it to them), pickup and delivery. Ids are captured in variables as the lines go, nothing to fill in.
 */
export async function printBanner(options: { url: string; consoleUrl?: string | null; secret: string; secretNote: string | null; config: Config }): Promise<void> {
  process.stdout.write(`${(await bannerLines(options)).join("\n")}\n`);
}

export async function bannerLines(options: { url: string; consoleUrl?: string | null; secret: string; secretNote: string | null; config: Config }): Promise<string[]> {
  const { url, secret, config } = options;
  const restaurant = DEMO_IDS.restaurant;
  const customer = await mintToken(secret, { role: "customer", sub: DEMO_IDS.customer });
  const staff = await mintToken(secret, { role: "restaurant", sub: "staff-demo", restaurantId: restaurant });
  const courier = await mintToken(secret, { role: "courier", sub: DEMO_IDS.courier });
  const admin = await mintToken(secret, { role: "admin", sub: "admin-demo" });
  const order = JSON.stringify({
    restaurantId: restaurant,
    items: [{ itemId: DEMO_IDS.item, quantity: 1, options: DEMO_IDS.options }],
    deliveryAddress: { lat: 52.521, lng: 13.41, line1: "Alexanderplatz 1" },
  });
  const as = (who: string) => `-H "Authorization: Bearer $${who}"`;
  const json = "-H 'Content-Type: application/json'";
  const manual = config.kitchen === "manual";
  const offerSeconds = Math.round(config.offerTtlMs / 1000);
  return [
    "",
    `Tiffin is running at ${url}  (${isEmbedded(config) ? `embedded PGlite in ${config.dataDir}` : "PostgreSQL"}, broker ${config.broker.kind}, kitchen ${config.kitchen})`,
    ...(options.consoleUrl == null ? [] : [`  Console:   ${options.consoleUrl}   (in the browser: pick a demo customer, restaurant, courier or admin)`]),
    `  API docs:  ${url}/docs     OpenAPI: ${url}/openapi.json     metrics: ${url}/metrics`,
    ...(options.secretNote === null ? [] : [`  ${options.secretNote}`]),
    "",
    BANNER_WALKTHROUGH,
    "(Dev tokens, valid 12 hours; mint others with `npx tiffin token --role customer --sub me`.)",
    "  j() { node -e \"const v = JSON.parse(require('fs').readFileSync(0, 'utf8')); const r = ($1); if (r == null) process.exit(1); console.log(typeof r === 'object' ? JSON.stringify(r) : r)\"; }",
    `  API=${url}`,
    `  CUSTOMER=${customer}`,
    `  STAFF=${staff}`,
    `  COURIER=${courier}`,
    `  ADMIN=${admin}`,
    `  # 1. Your courier (${DEMO_IDS.courier}) goes on shift at the restaurant, so the order's offer comes to them`,
    `  curl -s -X PUT $API/v1/couriers/me/location ${as("COURIER")} ${json} -d '${JSON.stringify(AT_THE_RESTAURANT)}'; echo`,
    `  curl -s -X PUT $API/v1/couriers/me/availability ${as("COURIER")} ${json} -d '{"available":true}'; echo`,
    "  # 2. Browse, then order; the order's id is kept in $ORDER",
    `  curl -s "$API/v1/restaurants?lat=52.52&lng=13.405"; echo`,
    `  curl -s $API/v1/restaurants/${restaurant}/menu; echo`,
    `  ORDER=$(curl -s -X POST $API/v1/orders ${as("CUSTOMER")} -H "Idempotency-Key: $(date +%s%N)" ${json} -d '${order}' | j v.id); echo "order $ORDER"`,
    ...(manual
      ? [
          "  # 3. Once it is paid, the restaurant accepts it and starts cooking",
          `  until curl -s $API/v1/orders/$ORDER ${as("CUSTOMER")} | grep -q '"paymentStatus":"captured"'; do sleep 1; done`,
          `  curl -s -X POST $API/v1/restaurants/${restaurant}/orders/$ORDER/accept ${as("STAFF")}; echo`,
        ]
      : ["  # 3. The kitchen (TIFFIN_KITCHEN=auto) accepts it as soon as it is paid"]),
    `  # 4. The courier takes the offer (it waits ${offerSeconds} s, then goes to the next courier); $OFFER holds it`,
    `  until OFFER=$(curl -s $API/v1/couriers/me/offers ${as("COURIER")} | j "v.items.find((o) => o.orderId === '$ORDER')"); do sleep 1; done; echo "$OFFER"`,
    `  curl -s -X POST $API/v1/offers/$(echo "$OFFER" | j v.id)/accept ${as("COURIER")} ${json} -d "{\\"token\\":$(echo "$OFFER" | j v.token)}"; echo`,
    ...(manual
      ? ["  # 5. The kitchen marks it ready; the courier picks it up and delivers it", `  curl -s -X POST $API/v1/restaurants/${restaurant}/orders/$ORDER/ready ${as("STAFF")}; echo`]
      : [
          "  # 5. Once the kitchen has it ready, the courier picks it up and delivers it",
          `  until curl -s $API/v1/orders/$ORDER ${as("CUSTOMER")} | grep -q '"status":"ready"'; do sleep 1; done`,
        ]),
    `  curl -s -X POST $API/v1/orders/$ORDER/picked-up ${as("COURIER")}; echo`,
    `  curl -s -X POST $API/v1/orders/$ORDER/delivered ${as("COURIER")}; echo`,
    "  # 6. The order as its customer sees it, a moment later (status, timeline, cancellationReason had it been cancelled); its payments",
    `  curl -s $API/v1/orders/$ORDER ${as("CUSTOMER")}; echo`,
    `  curl -s $API/admin/sagas/$ORDER ${as("ADMIN")}; echo`,
    "",
    `Live updates: curl -sN $API/v1/orders/$ORDER/stream ${as("CUSTOMER")}  (ends once the order is settled)`,
    "",
  ];
}
