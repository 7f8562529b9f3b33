// ESLint's flat config for the site's own browser scripts (`make lint`). CommonJS, which every Node that
// ESLint 9 runs on reads as it is (Debian 12 has Node 18).
"use strict";

const js = require("@eslint/js");
const globals = require("globals");

// The scripts are loaded by <script src> without a build step and written in ES5 syntax, so a browser too old
// to run them still parses them and the pages fall back to their plain forms; the built-ins they call
// (Promise, typed arrays, Intl) are ES2015's, which every browser with fetch has.
const script = { ecmaVersion: 5, sourceType: "script" };

module.exports = [
  { ignores: ["node_modules/", ".venv/", ".venv-tipg/", ".venv-locust/", "instance/", "test-artifacts/", "bench/results/"] },
  js.configs.recommended,
  {
    files: ["static/js/**/*.js"],
    rules: {
      // Until ES2019 a catch clause must name its error even when it is not used: `catch (_notJson)`.
      "no-unused-vars": ["error", { caughtErrorsIgnorePattern: "^_" }],
    },
  },
  {
    files: ["static/js/**/*.js"],
    ignores: ["static/js/sw.js"],
    languageOptions: { ...script, globals: { ...globals.es2015, ...globals.browser, L: "readonly" } },
  },
  {
    files: ["static/js/sw.js"],
    languageOptions: { ...script, globals: { ...globals.es2015, ...globals.serviceworker } },
  },
  {
    files: ["eslint.config.js"],
    languageOptions: { sourceType: "commonjs", globals: globals.node },
  },
];
