import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["src/**/*.test.ts", "test/**/*.test.ts"],
    testTimeout: 20_000,
    hookTimeout: 20_000,
    // Integration tests start real servers and child processes; two cores are the budget.
    pool: "forks",
    maxWorkers: 2,
  },
});
