export * from "./app.js";
export * from "./auth/jwt.js";
export * from "./problems/problem.js";
export * from "./problems/problem-status.js";
export type { HealthCheck, HttpAppDeps, TiffinFastify } from "./routes/route-deps.js";
export { systemRoutes } from "./routes/system-routes.js";
export { startHttpHost } from "./http-host.js";
export { CONSOLE_CSP, type ConsoleIdentity, type ConsoleOidc, type ConsoleOptions, consoleCsp, registerConsole } from "./plugins/console.js";
