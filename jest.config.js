// Jest runs TypeScript through SWC. CosmJS 0.39 depends on ESM-only @noble/* and @scure/* packages,
// so those are transformed too (docs/design.md §10).
const transform = { "^.+\\.(t|j)sx?$": ["@swc/jest", { jsc: { target: "es2022" }, module: { type: "commonjs" } }] };
const transformIgnorePatterns = ["/node_modules/(?!(@noble|@scure)/)"];
// A generous per-test timeout: the suite must pass on a busy machine (property tests run hundreds of
// cases; a 5 s default is sized for an idle one). Slow tests are found by benchmarks, not timeouts.
// testTimeout is a global option: Jest ignores it inside a project's config.
const common = { transform, transformIgnorePatterns, testEnvironment: "node", moduleFileExtensions: ["ts", "js", "json"] };

/** @type {import('jest').Config} */
module.exports = {
  testTimeout: 60_000,
  projects: [
    { ...common, displayName: "unit", testMatch: ["<rootDir>/test/unit/**/*.test.ts"] },
    { ...common, displayName: "property", testMatch: ["<rootDir>/test/property/**/*.test.ts"] },
    { ...common, displayName: "integration", testMatch: ["<rootDir>/test/integration/**/*.test.ts"] },
    // End-to-end suites run real CometBFT nodes: one at a time (scripts/test.sh runs them with
    // --runInBand; test/e2e/environment.ts makes them take turns however Jest is started).
    { ...common, displayName: "e2e", testMatch: ["<rootDir>/test/e2e/**/*.test.ts"], testEnvironment: "<rootDir>/test/e2e/environment.ts" },
  ],
};
