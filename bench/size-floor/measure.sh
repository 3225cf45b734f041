#!/bin/bash
# The brotli size of bench/size-floor's wasm, built and optimised like the page's
# (cargo xtask build first: it installs wasm-bindgen-cli and wasm-opt).
set -euo pipefail
cd "$(dirname "$0")/../.."
cargo build --manifest-path bench/size-floor/Cargo.toml --release --target wasm32-unknown-unknown \
  --target-dir target/size-floor -q
out=target/size-floor/pkg
wasm-bindgen --target web --out-dir "$out" target/size-floor/wasm32-unknown-unknown/release/size_floor.wasm
target/tools/node_modules/.bin/wasm-opt -O3 --enable-bulk-memory --enable-nontrapping-float-to-int \
  --enable-sign-ext --enable-mutable-globals --enable-reference-types --enable-multivalue \
  "$out/size_floor_bg.wasm" -o "$out/size_floor_bg.wasm"
node -e "
const z = require('zlib'), fs = require('fs');
for (const f of process.argv.slice(1)) {
  const b = fs.readFileSync(f);
  const br = z.brotliCompressSync(b, { params: { [z.constants.BROTLI_PARAM_QUALITY]: 11 } }).length;
  console.log(f, 'raw', b.length, 'brotli', br);
}" "$out/size_floor_bg.wasm" "$out/size_floor.js"
