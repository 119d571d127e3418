import js from "@eslint/js";
import tseslint from "typescript-eslint";
import layering from "./eslint/layering.mjs";

export default tseslint.config(
  { ignores: ["dist/**", "web/dist/**", "packages/*/dist/**", "node_modules/**", "src/generated/**", "coverage/**", "jest.config.js"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ["scripts/**/*.js"],
    languageOptions: {
      sourceType: "commonjs",
      globals: { require: "readonly", __dirname: "readonly", console: "readonly", process: "readonly" },
    },
    rules: { "@typescript-eslint/no-require-imports": "off" },
  },
  {
    files: ["**/*.ts"],
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/no-explicit-any": "error",
      "no-constant-condition": ["error", { checkLoops: false }],
    },
  },
  {
    files: ["src/**/*.ts"],
    plugins: { dcert: layering },
    rules: { "dcert/layering": "error" },
  },
  {
    files: ["scripts/**/*.mjs"],
    languageOptions: { globals: { console: "readonly", process: "readonly", Buffer: "readonly", URL: "readonly" } },
  },
  {
    files: ["eslint/**/*.mjs"],
    languageOptions: { globals: { console: "readonly" } },
  },
);
