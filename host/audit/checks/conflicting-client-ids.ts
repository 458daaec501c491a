/**
 * AWS check CONFLICTING_CLIENT_IDS_CHECK (spec §5.1 #16, §5.2): a client id was used by several
 * connections so that a connected session was taken over. A session counts as taken over when the
 * broker's disconnect reason says so (contains "duplicate" or "takeover"), or when another session
 * with the same client id started while it was still open. Related resources: the principals
 * (certificates) with their disconnect times, newest first.
 */
import type { AuditCheck, AuditResource } from '../finding.ts';
import type { ConnectionRecord } from '../snapshot.ts';
import { finding } from './cert-helpers.ts';

export const NAME = 'CONFLICTING_CLIENT_IDS_CHECK';

const TAKEOVER = /duplicate|takeover|taken over/i;

function inWindow(c: ConnectionRecord, w: { from: number; to: number }): boolean {
	return c.connectedAt <= w.to && (c.disconnectedAt ?? Number.POSITIVE_INFINITY) >= w.from;
}

export const check: AuditCheck = {
	name: NAME,
	severity: 'HIGH',
	enabledByDefault: true,
	resourcesEvaluated: (s, ctx) => new Set(s.connections.filter((c) => inWindow(c, ctx.connectionWindow)).map((c) => c.clientId)).size,
	run(s, ctx) {
		const byClient = new Map<string, ConnectionRecord[]>();
		for (const c of s.connections) {
			if (!inWindow(c, ctx.connectionWindow)) continue;
			const list = byClient.get(c.clientId) ?? [];
			list.push(c);
			byClient.set(c.clientId, list);
		}
		const out = [];
		for (const [clientId, conns] of byClient) {
			if (conns.length < 2) continue;
			conns.sort((a, b) => a.connectedAt - b.connectedAt);
			const kicked = conns.filter((c, i) => {
				const next = conns[i + 1];
				if (!next) return false;
				if (c.disconnectReason !== null && TAKEOVER.test(c.disconnectReason)) return true;
				return c.disconnectedAt === null || c.disconnectedAt > next.connectedAt;
			});
			if (kicked.length === 0) continue;
			const related: AuditResource[] = conns
				.slice()
				.sort((a, b) => (b.disconnectedAt ?? b.connectedAt) - (a.disconnectedAt ?? a.connectedAt))
				.map((c) => ({
					resourceType: 'DEVICE_CERTIFICATE',
					resourceIdentifier: { deviceCertificateId: c.certificateId ?? 'unknown' },
					additionalInfo: {
						CONNECTION_TIME: String(c.connectedAt),
						...(c.disconnectedAt !== null ? { DISCONNECTION_TIME: String(c.disconnectedAt) } : {}),
						SOURCE_IP: c.sourceIp,
					},
				}));
			out.push(
				finding(NAME, 'HIGH', { resourceType: 'CLIENT_ID', resourceIdentifier: { clientId } }, 'DUPLICATE_CLIENT_ID_ACROSS_CONNECTIONS', `Client id was used by ${conns.length} connections; ${kicked.length} session(s) were taken over.`, related),
			);
		}
		return out;
	},
};
