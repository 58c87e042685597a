import tseslint from "typescript-eslint";

const platformPackages = ["discord.js", "grammy", "@grammyjs/*", "groq-sdk", "keyv", "@keyv/*", "pino", "prom-client", "sharp", "pdf-parse"];

export default tseslint.config(
  { ignores: ["dist/**", "node_modules/**", "coverage/**", "eslint.config.js"] },
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      "@typescript-eslint/no-floating-promises": "error",
      "@typescript-eslint/no-misused-promises": "error",
      "@typescript-eslint/require-await": "off",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
    },
  },
  {
    // ARCHITECTURE.md: the core talks to the outside only through its own ports.
    files: ["src/core/**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            { group: platformPackages, message: "src/core must not import platform SDKs or back ends; add a port in src/core/ports instead." },
            { group: ["**/adapters/**", "**/providers/**", "**/store/**", "**/media/**", "**/observability/**"], message: "src/core must not import outer layers." },
          ],
        },
      ],
    },
  },
  {
    files: ["src/adapters/telegram/**/*.ts"],
    rules: {
      "no-restricted-imports": ["error", { patterns: [
        { group: ["discord.js", "groq-sdk", "keyv", "@keyv/*"], message: "The Telegram adapter uses only grammY and the core." },
        { group: ["**/adapters/discord/**", "**/providers/**", "**/store/**"], message: "Adapters never import each other, providers or the store." },
      ] }],
    },
  },
  {
    files: ["src/adapters/discord/**/*.ts"],
    rules: {
      "no-restricted-imports": ["error", { patterns: [
        { group: ["grammy", "@grammyjs/*", "groq-sdk", "keyv", "@keyv/*"], message: "The Discord adapter uses only discord.js and the core." },
        { group: ["**/adapters/telegram/**", "**/providers/**", "**/store/**"], message: "Adapters never import each other, providers or the store." },
      ] }],
    },
  },
  {
    files: ["src/providers/**/*.ts"],
    rules: {
      "no-restricted-imports": ["error", { patterns: [
        { group: ["discord.js", "grammy", "@grammyjs/*", "keyv", "@keyv/*"], message: "Providers use only their SDK and the core." },
        { group: ["**/adapters/**", "**/store/**"], message: "Providers never import adapters or the store." },
      ] }],
    },
  },
  {
    files: ["src/store/**/*.ts"],
    rules: {
      "no-restricted-imports": ["error", { patterns: [
        { group: ["discord.js", "grammy", "@grammyjs/*", "groq-sdk"], message: "The store uses only keyv and the core." },
        { group: ["**/adapters/**", "**/providers/**"], message: "The store never imports adapters or providers." },
      ] }],
    },
  },
  {
    files: ["commands/**/*.ts"],
    rules: {
      "no-restricted-imports": ["error", { patterns: [
        { group: ["discord.js", "grammy", "@grammyjs/*", "groq-sdk", "keyv", "@keyv/*"], message: "Commands talk to the core only; adapters translate them." },
        { group: ["**/adapters/**", "**/providers/**", "**/store/**"], message: "Commands talk to the core only." },
      ] }],
    },
  },
  {
    files: ["test/**/*.ts"],
    rules: {
      "@typescript-eslint/no-unsafe-assignment": "off",
      "@typescript-eslint/no-unsafe-member-access": "off",
      "@typescript-eslint/no-unsafe-argument": "off",
      "@typescript-eslint/no-unsafe-call": "off",
      "@typescript-eslint/no-non-null-assertion": "off",
    },
  },
);
