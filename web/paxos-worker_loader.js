// The worker's loader: web/src/worker.rs starts this file as a classic Web Worker beside paxos-web.js. It loads
// wasm-bindgen's no-modules glue, then the worker's module (crates/paxos-worker). Ours rather than Trunk's loader
// shim, which starts the glue the old way, `wasm_bindgen(path)`, for which wasm-bindgen 0.2.130 prints "using
// deprecated parameters for the initialization function" in the console each time a worker starts.
importScripts('./paxos-worker.js');
wasm_bindgen({ module_or_path: './paxos-worker_bg.wasm' });
