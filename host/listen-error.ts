/** Turns a listener's bind failure into a WardenError that says what to do about it. */
import { WardenError } from './errors.ts';

export function listenError(what: string, host: string, port: number, e: NodeJS.ErrnoException): WardenError {
	const hint = e.code === 'EADDRINUSE' ? ' (the port is in use: stop the other process or choose another port; 0 picks a free one)' : e.code === 'EACCES' ? ' (not allowed to bind this port)' : '';
	return new WardenError('WARDEN_ERR_LISTEN', `${what} cannot listen on ${host}:${port}: ${e.code ?? e.message}${hint}`, { host, port, errno: e.code });
}
