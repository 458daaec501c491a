/** Finding and compiling agent.wasm (compiled once per path; instances are cheap). */
import { readFileSync } from 'node:fs';
import { WardenError } from '../errors.ts';

const moduleCache = new Map<string, WebAssembly.Module>();

/** Path of the built module: `build/agent.wasm` or `build/agent.debug.wasm`. */
export function agentWasmPath(variant: 'release' | 'debug' = 'release'): string {
	const file = variant === 'debug' ? 'agent.debug.wasm' : 'agent.wasm';
	return new URL(`../../build/${file}`, import.meta.url).pathname;
}

/** Compile (once per path) the agent module. */
export function loadAgentModule(path = agentWasmPath()): WebAssembly.Module {
	let m = moduleCache.get(path);
	if (!m) {
		let bytes: Buffer;
		try {
			bytes = readFileSync(path);
		} catch {
			throw new WardenError('WARDEN_ERR_CONFIG', `agent module not found at ${path} (run scripts/build.sh)`);
		}
		try {
			m = new WebAssembly.Module(bytes);
		} catch (e) {
			throw new WardenError('WARDEN_ERR_CONFIG', `${path} is not a valid WebAssembly module: ${(e as Error).message}`);
		}
		moduleCache.set(path, m);
	}
	return m;
}
