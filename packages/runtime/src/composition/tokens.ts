/** DI tokens of what the runtime itself binds, beside core's TOKENS. */
export const RUNTIME_TOKENS = {
  Config: Symbol.for("tiffin.runtime.Config"),
  Metrics: Symbol.for("tiffin.runtime.Metrics"),
  /** The application facade (`Tiffin`) the HTTP host calls. */
  Tiffin: Symbol.for("tiffin.runtime.Tiffin"),
  /** The simulated providers' durable memory (ProviderStore). */
  ProviderStore: Symbol.for("tiffin.runtime.ProviderStore"),
  /** The payment saga process the worker runs. */
  PaymentSaga: Symbol.for("tiffin.runtime.PaymentSaga"),
  /** Probes for readiness: each resolves when its dependency answers. Multi-bound. */
  HealthProbe: Symbol.for("tiffin.runtime.HealthProbe"),
} as const;

/** One readiness probe. */
export interface HealthProbe {
  readonly name: string;
  check(): Promise<void>;
}
