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
	type ImportValue = ((...args: never[]) => unknown) | Memory | number | bigint;
	type Imports = Record<string, Record<string, ImportValue>>;
}
