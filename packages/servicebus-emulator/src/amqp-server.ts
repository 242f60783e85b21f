import type { AddressInfo } from "node:net";
import type { Connection, Delivery, EventContext, Message, Receiver, Sender } from "rhea";
import { ConsumerLink } from "./consumer-link.js";
import { Management } from "./management.js";
import { BrokerError, CONDITIONS } from "./message-queue.js";
import type { Namespace } from "./namespace.js";
import { SessionAttach } from "./session-attach.js";
import { createContainer, decodeMessage, encodeMessage } from "./codec.js";

const CBS = "$cbs";
const MANAGEMENT_SUFFIX = "/$management";
const BATCH_FORMAT = 0x80013700;

export interface AmqpServerOptions {
  readonly host: string;
  readonly port: number;
  /** Largest message (or batch) a sender may transfer; the link advertises it as `max-message-size`. */
  readonly maxMessageSizeBytes: number;
}

type Server = { address(): AddressInfo | string | null; close(callback?: () => void): void };

/**
 * The AMQP 1.0 side of the emulator on rhea: SASL ANONYMOUS (rhea's default for a server without mechanisms),
 * CBS `put-token` on `$cbs` (any token is accepted), senders to queues and topics, receivers on queues,
 * subscriptions and dead-letter queues (with `com.microsoft:session-filter`), and `$management` requests.
 */
export class AmqpServer {
  private readonly container = createContainer({ id: "tiffin-servicebus-emulator", autoaccept: false, treat_modified_as_released: false });
  private readonly management: Management;
  private readonly consumers = new Map<Sender, ConsumerLink>();
  private readonly pendingSessions = new Set<SessionAttach>();
  private readonly connections = new Set<Connection>();
  private server: Server | undefined;

  constructor(
    private readonly namespace: Namespace,
    private readonly options: AmqpServerOptions,
  ) {
    this.management = new Management(namespace);
    this.container.on("sender_open", (context: EventContext) => this.senderOpened(context.sender as Sender));
    this.container.on("receiver_open", (context: EventContext) => this.receiverOpened(context.receiver as Receiver));
    this.container.on("message", (context: EventContext) => this.received(context));
    const pumpLater = (context: EventContext): void => this.consumers.get(context.sender as Sender)?.schedulePump();
    this.container.on("sendable", pumpLater);
    this.container.on("sender_draining", pumpLater);
    for (const outcome of ["accepted", "rejected", "released", "modified"]) {
      this.container.on(outcome, (context: EventContext) => this.consumers.get(context.sender as Sender)?.settle(context.delivery as Delivery));
    }
    this.container.on("sender_close", (context: EventContext) => this.linkGone(context.sender as Sender));
    this.container.on("connection_open", (context: EventContext) => void this.connections.add(context.connection));
    this.container.on("connection_close", (context: EventContext) => this.connectionGone(context.connection));
    this.container.on("disconnected", (context: EventContext) => this.connectionGone(context.connection));
    // Without a listener rhea rethrows link and connection errors; a test client going away is not a crash.
    this.container.on("error", () => undefined);
  }

  async listen(): Promise<number> {
    const server = this.container.listen({ host: this.options.host, port: this.options.port }) as unknown as Server & {
      once(event: string, listener: (...args: unknown[]) => void): void;
    };
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once("listening", () => resolve());
      server.once("error", reject);
    });
    const address = server.address();
    if (address === null || typeof address === "string") throw new Error("the emulator did not get a TCP port");
    return address.port;
  }

  async close(): Promise<void> {
    for (const pending of this.pendingSessions) pending.cancel();
    for (const consumer of this.consumers.values()) consumer.close();
    this.consumers.clear();
    for (const connection of this.connections) connection.close();
    await new Promise<void>((resolve) => (this.server === undefined ? resolve() : this.server.close(() => resolve())));
  }

  /** The client opened a receiver: a reply link for `$cbs` or `$management`, or a consumer of an entity. */
  private senderOpened(sender: Sender): void {
    const address = sender.source?.address ?? "";
    sender.set_source(sender.source);
    sender.set_target(sender.target);
    if (address === CBS || address.endsWith(MANAGEMENT_SUFFIX)) return;
    try {
      const queue = this.namespace.queue(address);
      const local = sender as unknown as { local: { attach: Record<string, unknown> } };
      local.local.attach.snd_settle_mode = sender.snd_settle_mode;
      local.local.attach.rcv_settle_mode = sender.rcv_settle_mode;
      if (!queue.properties.requiresSession) {
        this.consumers.set(sender, new ConsumerLink(sender, queue, undefined));
        return;
      }
      const pending = new SessionAttach(sender, queue, (sessionId) => {
        this.pendingSessions.delete(pending);
        const consumer = new ConsumerLink(sender, queue, sessionId);
        this.consumers.set(sender, consumer);
        return consumer;
      });
      this.pendingSessions.add(pending);
      pending.start();
    } catch (error) {
      sender.close(asAmqpError(error));
    }
  }

  /** The client opened a sender: to `$cbs`, to an entity's `$management`, or to a queue or topic. */
  private receiverOpened(receiver: Receiver): void {
    receiver.set_source(receiver.source);
    receiver.set_target(receiver.target);
    const address = receiver.target?.address ?? "";
    if (address === CBS || address.endsWith(MANAGEMENT_SUFFIX)) return;
    if (!this.namespace.hasEntrance(address)) {
      receiver.close({ condition: CONDITIONS.notFound, description: `The messaging entity '${address}' could not be found.` });
      return;
    }
    (receiver as unknown as { local: { attach: Record<string, unknown> } }).local.attach.max_message_size = this.options.maxMessageSizeBytes;
  }

  private received(context: EventContext): void {
    const receiver = context.receiver as Receiver;
    const delivery = context.delivery as Delivery;
    const address = receiver.target?.address ?? "";
    const request = context.message;
    if (address === CBS && request !== undefined) {
      delivery.accept();
      this.reply(context.connection, request, {
        correlation_id: request.message_id,
        application_properties: { "status-code": 202, "status-description": "Accepted" },
      } as never);
      return;
    }
    if (address.endsWith(MANAGEMENT_SUFFIX) && request !== undefined) {
      delivery.accept();
      this.reply(context.connection, request, this.management.handle(address.slice(0, -MANAGEMENT_SUFFIX.length), request));
      return;
    }
    try {
      const raw = context.message as unknown;
      const size = Buffer.isBuffer(raw) ? raw.length : encodeMessage(context.message as never).length;
      if (size > this.options.maxMessageSizeBytes) {
        throw new BrokerError(
          CONDITIONS.sizeExceeded,
          `The received message (delivery-id:${delivery.id}, size:${size} bytes) exceeds the limit (${this.options.maxMessageSizeBytes} bytes) currently allowed on the link.`,
        );
      }
      for (const message of unbatch(raw, (delivery as unknown as { format?: number }).format)) this.namespace.accept(address, message);
      delivery.accept();
    } catch (error) {
      delivery.reject(asAmqpError(error));
    }
  }

  /** Sends a response on the client's reply link: the one named, or addressed, as the request's `reply-to`. */
  private reply(connection: Connection, request: { reply_to?: string }, response: object): void {
    const replyTo = request.reply_to;
    const link = (connection as unknown as { find_sender(filter: (s: Sender) => boolean): Sender | undefined }).find_sender(
      (s: Sender) => s.name === replyTo || s.target?.address === replyTo,
    );
    link?.send(response as never);
  }

  private linkGone(sender: Sender): void {
    this.consumers.get(sender)?.close();
    this.consumers.delete(sender);
    for (const pending of this.pendingSessions) if (pending.sender === sender) pending.cancel();
  }

  private connectionGone(connection: Connection): void {
    this.connections.delete(connection);
    for (const [sender, consumer] of this.consumers) {
      if (sender.connection !== connection) continue;
      consumer.close();
      this.consumers.delete(sender);
    }
    for (const pending of this.pendingSessions) if (pending.sender.connection === connection) pending.cancel();
  }
}

/** A batch (format 0x80013700) carries each message encoded in its own data section. */
function unbatch(raw: unknown, format: number | undefined): Message[] {
  if (!Buffer.isBuffer(raw)) return [raw as Message];
  if (format !== BATCH_FORMAT) throw new BrokerError(CONDITIONS.notImplemented, `Unknown message format ${format}.`);
  const envelope = decodeMessage(raw);
  const body = envelope.body as { content?: Buffer | Buffer[]; multiple?: boolean };
  const sections = Array.isArray(body.content) ? body.content : body.content === undefined ? [] : [body.content];
  return sections.map((section) => decodeMessage(section));
}

function asAmqpError(error: unknown): { condition: string; description: string } {
  if (error instanceof BrokerError) return { condition: error.condition, description: error.message };
  return { condition: "amqp:internal-error", description: error instanceof Error ? error.message : String(error) };
}
