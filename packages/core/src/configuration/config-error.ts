/** Stable code for every configuration fault. */
export const ConfigErrorCode = { Invalid: "CONFIG_INVALID" } as const;

/**
 * A missing or malformed environment variable. `message` is the one line a process prints before it
 * exits: it names the variable and says what was expected.
 */
export class ConfigError extends Error {
  override readonly name = "ConfigError";
  readonly code = ConfigErrorCode.Invalid;
  constructor(
    readonly variable: string,
    problem: string,
  ) {
    super(`${variable} ${problem}`);
  }
}

export const isConfigError = (error: unknown): error is ConfigError =>
  typeof error === "object" && error !== null && (error as { code?: unknown }).code === ConfigErrorCode.Invalid;
