import { createRequire } from "node:module";
import type * as Rhea from "rhea";
import type { Message } from "rhea";

// rhea is CommonJS whose exports Node cannot name statically; load it once here. Its typings also leave out part
// of the message module, so those runtime functions are typed below.
const rhea = createRequire(import.meta.url)("rhea") as typeof Rhea;
const codec = rhea.message as unknown as {
  encode(message: Message): Buffer;
  decode(bytes: Buffer): Message;
  rejected(fields: { error?: { condition: string; description: string } }): { described(): unknown };
};

export const types = rhea.types;
export const createContainer = (options: Rhea.ContainerOptions): Rhea.Container => rhea.create_container(options);
export const encodeMessage = (message: Message): Buffer => codec.encode(message);
export const decodeMessage = (bytes: Buffer): Message => codec.decode(bytes);

/** The `rejected` outcome carrying an AMQP error, as the broker settles a disposition it could not apply. */
export const rejectedOutcome = (condition: string, description: string): unknown => codec.rejected({ error: { condition, description } }).described();

/** A `rejected` outcome without an error: how the broker confirms a dead-letter request it applied. */
export const deadLetteredOutcome = (): unknown => codec.rejected({}).described();
