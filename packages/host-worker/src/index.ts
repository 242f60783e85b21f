export { buildHealthServer } from "./health-server.js";
export { startWorkerHost } from "./worker-host.js";
export { registerPushRoutes, type PushRouteDeps } from "./push-routes.js";
export { registerTaskRoutes } from "./task-routes.js";
export { TASK_SECRET_HEADER, taskCallerAuth, type CallerAuth, type CallerCheck } from "./caller-auth.js";
