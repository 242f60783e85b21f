/** DI tokens for every port. Plain symbols: core never imports a container. */
export const TOKENS = {
  UnitOfWork: Symbol.for("tiffin.UnitOfWork"),
  MessagePublisher: Symbol.for("tiffin.MessagePublisher"),
  MessageSubscriber: Symbol.for("tiffin.MessageSubscriber"),
  DeadLetters: Symbol.for("tiffin.DeadLetters"),
  PaymentGateway: Symbol.for("tiffin.PaymentGateway"),
  PayoutGateway: Symbol.for("tiffin.PayoutGateway"),
  PaymentLedger: Symbol.for("tiffin.PaymentLedger"),
  RestaurantGateway: Symbol.for("tiffin.RestaurantGateway"),
  Clock: Symbol.for("tiffin.Clock"),
  Logger: Symbol.for("tiffin.Logger"),
  IdGenerator: Symbol.for("tiffin.IdGenerator"),
  /** Optional: bound by broker adapters that can create their topology (see BrokerTopology). */
  BrokerTopology: Symbol.for("tiffin.BrokerTopology"),
  CourierPositions: Symbol.for("tiffin.CourierPositions"),
  /** Announces committed order view changes to live streams (see ViewChangeFeed). */
  ViewChangeFeed: Symbol.for("tiffin.ViewChangeFeed"),
} as const;
