// A minimal client: it starts `tracklint lsp` and lets VS Code's language client do the rest
// (diagnostics, quick fixes, hover). Install with `npm install` here, then run it from VS Code
// ("Run Extension") or package it with `vsce package`.
const vscode = require("vscode");
const { LanguageClient } = require("vscode-languageclient/node");

let client;

function activate(context) {
  const command = vscode.workspace.getConfiguration("tracklint").get("path") || "tracklint";
  const server = { command, args: ["lsp"] };
  const languages = ["ruby", "javascript", "javascriptreact", "typescript", "typescriptreact",
    "python", "rust", "html", "erb", "vue", "svelte", "astro"];
  client = new LanguageClient("tracklint", "tracklint", { run: server, debug: server }, {
    documentSelector: languages.map((language) => ({ scheme: "file", language })),
    synchronize: {
      // A changed config re-lints the open files.
      fileEvents: vscode.workspace.createFileSystemWatcher("**/{tracklint.toml,.tracklint.toml,pyproject.toml}"),
    },
  });
  context.subscriptions.push(client);
  client.start();
}

function deactivate() {
  return client ? client.stop() : undefined;
}

module.exports = { activate, deactivate };
