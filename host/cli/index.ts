/**
 * The `warden` command line. Thin: each file in ./commands/ registers one sub-command with sade
 * and calls the same functions the HTTP API and tests call. Usage errors exit with status 2 and
 * a `WARDEN_ERR_CLI_USAGE` line; other deliberate errors exit 1 with their code.
 */
import sade from 'sade';
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { isWardenError } from '../errors.ts';

export type Program = ReturnType<typeof sade>;
export interface CommandModule {
	register(prog: Program): void;
}

const prog = sade('warden');
prog.version('0.1.0');

const dir = fileURLToPath(new URL('./commands/', import.meta.url));
for (const file of readdirSync(dir).filter((f) => f.endsWith('.ts')).sort()) {
	const mod = (await import(new URL(`./commands/${file}`, import.meta.url).href)) as CommandModule;
	mod.register(prog);
}

process.on('unhandledRejection', (e) => fail(e));

function fail(e: unknown): never {
	if (isWardenError(e)) {
		process.stderr.write(`warden: ${e.code}: ${e.message}\n`);
		process.exit(e.code === 'WARDEN_ERR_CLI_USAGE' ? 2 : 1);
	}
	process.stderr.write(`warden: ${(e as Error)?.stack ?? String(e)}\n`);
	process.exit(1);
}

// sade reports usage errors (unknown command or flag, missing argument) by printing them and
// exiting 1; Warden's usage errors exit 2, so parsing runs with exit(1) mapped to exit(2).
const realExit = process.exit;
let parsed: { handler: (...args: unknown[]) => unknown; args: unknown[] } | undefined;
try {
	process.exit = ((code?: number) => realExit(code === 1 ? 2 : code)) as typeof process.exit;
	parsed = prog.parse(process.argv, {
		lazy: true,
		unknown: (flag: string) => `WARDEN_ERR_CLI_USAGE: unknown option ${flag}`,
	}) as typeof parsed;
} catch (e) {
	fail(e);
} finally {
	process.exit = realExit;
}
if (parsed) {
	try {
		await parsed.handler(...parsed.args);
	} catch (e) {
		fail(e);
	}
}
