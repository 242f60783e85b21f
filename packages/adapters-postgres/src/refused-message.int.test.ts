import { describeRefusedMessageScenarios } from "@tiffin/core/testing";
import { describeScenariosOnPostgres } from "./test-support/postgres-scenarios.js";

/** The refused-message scenarios with stores, outbox and the message transport on Postgres (the relay publishes through the transport, behind the scenario's broker limit). */
describeScenariosOnPostgres(describeRefusedMessageScenarios);
