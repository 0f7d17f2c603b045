// Reference runner for jq 1.7 from the npm package jq-wasm (manual use only, scripts/jq-differential.sh):
// node jqwasm_run.js <program-file> <inputs-file>   prints `jq -c` output for each input line, like `jq -c -f`.
// Exit status 3 when the program does not compile (as jq does), so the harness retries program by program.
const fs = require('fs');
const path = require('path');
const prefix = process.env.JQ_WASM_PREFIX || '/tmp/jqwasm';
const jq = require(path.join(prefix, 'node_modules', 'jq-wasm'));
const program = fs.readFileSync(process.argv[2], 'utf8');
const inputs = fs.readFileSync(process.argv[3], 'utf8').split('\n').filter((l) => l.length > 0);
(async () => {
  let out = '';
  for (const input of inputs) {
    try {
      const text = await jq.raw(input, program, ['-c']);
      if (text.length > 0) out += text.endsWith('\n') ? text : text + '\n';
    } catch (e) {
      process.stderr.write(String(e && e.message) + '\n');
      process.exit(3);
    }
  }
  process.stdout.write(out);
})();
