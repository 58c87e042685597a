import type { LanguageKeywords } from "./keyword-group.js";

/**
 * Names of languages, tools and formats. People write them in Latin letters whatever language
 * the message is in, often with a suffix glued on ("pythonda", "javascriptte"), so the distinctive
 * ones are stems. Ambiguous everyday words (rust, swift, express, ruby) are weak.
 */
export const technicalTerms: LanguageKeywords = {
  language: "",
  groups: [
    {
      role: "code",
      strength: "strong",
      words: ["typeof", "stdout", "stderr", "stdin", "kubectl", "tsconfig*", "eslint*", "webpack*", "segfault*", "malloc", "nullptr", "printf", "println", "console.log", "useeffect", "usestate", "dockerfile*", "docker-compose*", "virtualenv", "venv", "node_modules"],
    },
    {
      role: "code",
      strength: "medium",
      words: [
        "python*", "javascript*", "typescript*", "java*", "js", "node", "nodejs", "node.js", "npm", "npx", "pnpm", "pip", "react", "reactjs", "vue", "vuejs", "vue.js", "angular*", "svelte*", "nextjs", "next.js", "django*", "flask", "fastapi", "laravel", "spring boot",
        "c++", "c#", "csharp", ".net", "golang", "kotlin*", "php", "perl", "scala", "haskell*", "bash*", "zsh", "powershell*", "sql*", "mysql*", "postgres*", "mongodb*", "mongo", "redis*", "docker*", "kubernetes*", "k8s", "helm",
        "nginx*", "linux*", "ubuntu*", "debian*", "git", "github*", "gitlab*", "html*", "css*", "scss", "json*", "yaml*", "yml", "xml", "api", "apis", "rest api", "graphql*", "regex*", "regexp*", "sudo", "ssh", "vscode", "vs code",
        "numpy*", "pandas", "matplotlib", "tensorflow*", "pytorch*", "jupyter*", "firebase*", "heroku*", "vercel*", "discord.js", "jquery*", "div", "flexbox", "css grid", "devops*", "ci/cd", "oauth*", "jwt", "websocket*", "ipv4", "ipv6", "cors", "crud", "orm",
        "null", "undefined", "boolean*", "async", "gcc", "clang", "cmake", "gradle*", "maven", "cargo", "rustc", "conda", "utf-8", "ascii", "unicode", "localhost", "ide", "cli", "sdk",
      ],
    },
    {
      role: "code",
      strength: "weak",
      words: ["rust", "swift", "ruby", "express", "apache", "csv", "url", "dns", "tcp", "udp", "tls", "ssl", "aws", "azure", "gpu", "bot", "app", "web", "await", "frontend*", "backend*", "framework*"],
    },
  ],
};
