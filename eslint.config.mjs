// ESLint for the site's JavaScript (make lint, make test): the recommended checks and one style
// (no semicolons, double quotes, two-space indent), for the scripts in docs/assets/ and the inline
// scripts of the theme overrides. The scripts are plain browser scripts, no modules, no build step.
import js from "@eslint/js"
import stylistic from "@stylistic/eslint-plugin"
import html from "eslint-plugin-html"
import globals from "globals"

const style = stylistic.configs.customize({ semi: false, quotes: "double", indent: 2, braceStyle: "1tbs", commaDangle: "never" })

export default [
  { ignores: ["node_modules/", ".venv/", "site/", ".site.*", "build/", "test-artifacts/", ".cache/"] },
  js.configs.recommended,
  style,
  {
    rules: {
      // The scripts' habits, kept: a short block on one line, an operator ending the line it
      // continues, comments aligned after a line's code, a table's keys quoted all or none.
      "@stylistic/max-statements-per-line": "off",
      "@stylistic/operator-linebreak": ["error", "after"],
      "@stylistic/no-multi-spaces": ["error", { ignoreEOLComments: true }],
      "@stylistic/quote-props": ["error", "consistent"]
    }
  },
  {
    files: ["docs/assets/**/*.js", "overrides/**/*.html"],
    languageOptions: { ecmaVersion: 2022, sourceType: "script", globals: { ...globals.browser } }
  },
  {
    // kbPage: what the page scripts share (docs/assets/kb-common.js, which defines it)
    files: ["docs/assets/**/*.js"],
    ignores: ["docs/assets/kb-search/worker.js", "docs/assets/kb-search/text.js"],
    languageOptions: { globals: { kbPage: "readonly" } }
  },
  {
    files: ["docs/assets/kb-search/worker.js", "docs/assets/kb-search/text.js"],
    languageOptions: { globals: { ...globals.worker } }
  },
  { files: ["overrides/**/*.html"], plugins: { html } },
  { files: ["eslint.config.mjs"], languageOptions: { sourceType: "module" } }
]
