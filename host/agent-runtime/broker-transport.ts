/**
 * The one place that picks the agent's transport from the broker URL: plain TCP for `mqtt://`,
 * mutual TLS for `mqtts://` (which then needs the device's credentials).
 */
import { WardenError } from '../errors.ts';
import { type BrokerAddress, type ByteTransport, TcpTransport } from './tcp-transport.ts';
import { type TlsCredentials, TlsTransport } from './tls-transport.ts';

/**
 * A transport to `addr`: TlsTransport when `addr.tls` (credentials required), TcpTransport
 * otherwise (credentials refused). WARDEN_ERR_CONFIG when they do not fit the URL.
 */
export function createBrokerTransport(addr: BrokerAddress, tls?: TlsCredentials, onError?: (e: Error) => void): ByteTransport {
	if (addr.tls) {
		if (!tls) throw new WardenError('WARDEN_ERR_CONFIG', 'an mqtts:// broker needs a device certificate, key and CA bundle');
		return new TlsTransport(addr, tls, onError);
	}
	if (tls) throw new WardenError('WARDEN_ERR_CONFIG', 'TLS credentials were given for a plain mqtt:// broker; use mqtts://');
	return new TcpTransport(addr, onError);
}

/** `mqtts://host:port` or `mqtt://host:port` as a URL again (for log lines). */
export function brokerUrl(addr: BrokerAddress): string {
	const host = addr.host.includes(':') ? `[${addr.host}]` : addr.host;
	return `${addr.tls ? 'mqtts' : 'mqtt'}://${host}:${addr.port}`;
}
