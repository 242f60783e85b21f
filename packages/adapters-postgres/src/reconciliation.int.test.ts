import { describeReconciliationScenarios } from "@tiffin/core/testing";
import { describeScenariosOnPostgres } from "./test-support/postgres-scenarios.js";

/** The reconciliation scenarios with stores, outbox and the message transport (and its dead letters) on Postgres. */
describeScenariosOnPostgres(describeReconciliationScenarios);
