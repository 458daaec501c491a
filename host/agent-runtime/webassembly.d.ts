/**
 * The part of the WebAssembly JS API the agent runtime uses. The project compiles against
 * lib ES2023 without DOM, and @types/node 20 does not declare the `WebAssembly` global.
 */
declare namespace WebAssembly {
	class Module {
		constructor(bytes: ArrayBufferView | ArrayBuffer);
		static imports(module: Module): { module: string; name: string; kind: string }[];
		static exports(module: Module): { name: string; kind: string }[];
	}
	class Instance {
		constructor(module: Module, imports?: Imports);
		readonly exports: Record<string, unknown>;
	}
	class Memory {
		constructor(desc: { initial: number; maximum?: number });
		readonly buffer: ArrayBuffer;
	}
	class RuntimeError extends Error {}
	class CompileError extends Error {}
	class LinkError extends Error {}
	interface WebAssemblyInstantiatedSource {
		module: Module;
		instance: Instance;
	}
	function compile(bytes: ArrayBufferView | ArrayBuffer): Promise<Module>;
	function validate(bytes: ArrayBufferView | ArrayBuffer): boolean;
	function instantiate(bytes: ArrayBufferView | ArrayBuffer, imports?: Imports): Promise<WebAssemblyInstantiatedSource>;
	function instantiate(module: Module, imports?: Imports): Promise<Instance>;
	type ImportValue = ((...args: never[]) => unknown) | Memory | number | bigint;
	type Imports = Record<string, Record<string, ImportValue>>;
}
