// Loaded with `node --import` by bench/start.mjs into the process it measures: on SIGUSR2 it prints one line on
// stderr with the process's memory (`process.memoryUsage()`), so a bench can say what the resident memory is.
import process from "node:process";

process.on("SIGUSR2", () => {
  process.stderr.write(`${JSON.stringify({ memoryProbe: process.memoryUsage() })}\n`);
});
