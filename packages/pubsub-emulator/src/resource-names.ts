import { invalidArgument } from "./api-error.js";

// Resource ids: 3-255 characters, starting with a letter, from letters, digits and `-_.~+%`, never starting with
// "goog" (https://cloud.google.com/pubsub/docs/pubsub-basics#resource_names).
const RESOURCE_ID = /^[A-Za-z][A-Za-z0-9\-_.~+%]{2,254}$/;

/** A parsed `projects/{project}/{kind}/{id}` name. */
export interface ResourceName {
  readonly project: string;
  readonly id: string;
  readonly name: string;
}

/** Parses a topic or subscription name, or throws INVALID_ARGUMENT as the service does. */
export function parseResourceName(name: string, kind: "topics" | "subscriptions"): ResourceName {
  const parts = name.split("/");
  const [projects, project, collection, id] = parts;
  if (parts.length !== 4 || projects !== "projects" || !project || collection !== kind || id === undefined) {
    throw invalidArgument(`Invalid resource name given (name=${name}). Refer to https://cloud.google.com/pubsub/docs/pubsub-basics#resource_names for more information.`);
  }
  if (!RESOURCE_ID.test(id) || id.toLowerCase().startsWith("goog")) {
    throw invalidArgument(`Invalid [${kind}] name: (name=${name})`);
  }
  return { project, id, name };
}

/** The topic of a subscription whose topic was deleted, as the service reports it. */
export const DELETED_TOPIC = "_deleted-topic_";
