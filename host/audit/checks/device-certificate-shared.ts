/**
 * AWS check DEVICE_CERTIFICATE_SHARED_CHECK (spec §5.1 #14, §5.2): several concurrent connections
 * (different client ids) authenticated by the same certificate, within the connection window the
 * service passes in `ctx.connectionWindow`. Related resources: the client ids with their connect /
 * disconnect times, newest first.
 */
import type { AuditCheck, AuditResource } from '../finding.ts';
import type { ConnectionRecord } from '../snapshot.ts';
import { finding } from './cert-helpers.ts';

export const NAME = 'DEVICE_CERTIFICATE_SHARED_CHECK';

const end = (c: ConnectionRecord) => c.disconnectedAt ?? Number.POSITIVE_INFINITY;

function inWindow(c: ConnectionRecord, w: { from: number; to: number }): boolean {
	return c.connectedAt <= w.to && end(c) >= w.from;
}

export const check: AuditCheck = {
	name: NAME,
	severity: 'CRITICAL',
	enabledByDefault: true,
	resourcesEvaluated: (s, ctx) => new Set(s.connections.filter((c) => c.certificateId && inWindow(c, ctx.connectionWindow)).map((c) => c.certificateId)).size,
	run(s, ctx) {
		const byCert = new Map<string, ConnectionRecord[]>();
		for (const c of s.connections) {
			if (!c.certificateId || !inWindow(c, ctx.connectionWindow)) continue;
			const list = byCert.get(c.certificateId) ?? [];
			list.push(c);
			byCert.set(c.certificateId, list);
		}
		const out = [];
		for (const [certId, conns] of byCert) {
			conns.sort((a, b) => a.connectedAt - b.connectedAt);
			const involved = new Set<ConnectionRecord>();
			for (let i = 0; i < conns.length; i++) {
				for (let j = i + 1; j < conns.length && conns[j]!.connectedAt < end(conns[i]!); j++) {
					if (conns[j]!.clientId !== conns[i]!.clientId) {
						involved.add(conns[i]!);
						involved.add(conns[j]!);
					}
				}
			}
			if (involved.size === 0) continue;
			const related: AuditResource[] = [...involved]
				.sort((a, b) => b.connectedAt - a.connectedAt)
				.map((c) => ({
					resourceType: 'CLIENT_ID',
					resourceIdentifier: { clientId: c.clientId },
					additionalInfo: {
						CONNECTION_TIME: String(c.connectedAt),
						...(c.disconnectedAt !== null ? { DISCONNECTION_TIME: String(c.disconnectedAt) } : {}),
						SOURCE_IP: c.sourceIp,
					},
				}));
			const clients = new Set([...involved].map((c) => c.clientId)).size;
			out.push(
				finding(NAME, 'CRITICAL', { resourceType: 'DEVICE_CERTIFICATE', resourceIdentifier: { deviceCertificateId: certId } }, 'CERTIFICATE_SHARED_BY_MULTIPLE_DEVICES', `Certificate was used by ${clients} client ids concurrently.`, related),
			);
		}
		return out;
	},
};
