#!/usr/bin/env node
import { runEmbeddingExample } from "./embedding.js";

runEmbeddingExample((line) => process.stdout.write(`${line}\n`)).catch((error: unknown) => {
  process.stderr.write(`embedding example failed: ${(error as Error).message}\n`);
  process.exitCode = 1;
});
