import { invalidArgument } from "./api-error.js";

/** A protobuf Duration or Timestamp as the loader gives it. */
export interface ProtoDuration {
  readonly seconds: number | string;
  readonly nanos: number;
}

export const durationSeconds = (d: ProtoDuration | null | undefined): number | undefined =>
  d === null || d === undefined ? undefined : Number(d.seconds) + d.nanos / 1e9;

export const toDuration = (seconds: number): ProtoDuration => ({
  seconds: Math.floor(seconds),
  nanos: Math.round((seconds - Math.floor(seconds)) * 1e9),
});

export const toTimestamp = (date: Date): ProtoDuration => {
  const ms = date.getTime();
  return { seconds: Math.floor(ms / 1000), nanos: (ms % 1000) * 1e6 };
};

/** Checks a seconds value against the service's range for a field, naming it as the service does. */
export function checkRange(field: string, value: number, min: number, max: number): void {
  if (!(value >= min && value <= max)) {
    throw invalidArgument(`Invalid ${field}: ${value}; it must be between ${min} and ${max}.`);
  }
}
