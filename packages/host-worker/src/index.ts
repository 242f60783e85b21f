export { buildHealthServer } from "./health-server.js";
export { startWorkerHost } from "./worker-host.js";
