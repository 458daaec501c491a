/**
 * Full audit over a generated fleet (budget: 100,000 device certificates, 10,000 policies).
 *
 *   node --import tsx bench/audit-full.ts [--certs 100000] [--policies 10000]
 *
 * Certificates are parsed-field records, not PEM: generating and signing 100,000 real RSA-2048
 * keys would take hours and measure key generation, not the audit. Their RSA moduli are random
 * odd 2048-bit integers, with a few planted pairs that share a 1024-bit prime. Random integers
 * are not RSA moduli: they share small incidental factors (3, 5, 7, ...), so
 * WARDEN_RSA_SHARED_PRIME_CHECK also flags many unplanted ones; the bench checks that every
 * planted pair is among them and reports the count. Timing is what this measures.
 *
 * Prints: total audit time (every enabled check, findings stored in SQLite), the batch-GCD part
 * alone, and, as the in-run baseline, the estimated time of naive pairwise gcds (measured on a
 * sample and scaled to n(n-1)/2 pairs): the ratio is batch GCD's speed-up.
 */
import { checkPrimeSync, randomBytes } from 'node:crypto';
import { VirtualClock } from '../host/clock.ts';
import { AuditService } from '../host/audit/service.ts';
import { sqliteAuditStore } from '../host/audit/store.ts';
import { AUDIT_MIGRATIONS } from '../host/audit/schema.ts';
import { batchGcd, gcd } from '../host/audit/batch-gcd.ts';
import { emptySnapshot, type AuditSnapshot, type PolicyDocument } from '../host/audit/snapshot.ts';
import { migrate } from '../host/storage/database.ts';
import { openSqlite } from '../host/storage/sqlite.ts';

function arg(name: string, dflt: number): number {
	const i = process.argv.indexOf(`--${name}`);
	const v = i >= 0 ? Number(process.argv[i + 1]) : dflt;
	if (!Number.isInteger(v) || v < 2) throw new Error(`--${name} must be an integer >= 2`);
	return v;
}

const CERTS = arg('certs', 100_000);
const POLICIES = arg('policies', 10_000);
const PLANTED = 5;
const NOW = Date.UTC(2026, 5, 1);
const DAY = 86_400_000;
const ms = (t: number) => `${(t / 1000).toFixed(2)} s`;

const rand = (bits: number) => BigInt(`0x${randomBytes(bits / 8).toString('hex')}`) | (1n << BigInt(bits - 1)) | 1n;
function prime(bits: number): bigint {
	for (;;) {
		const p = rand(bits);
		if (checkPrimeSync(p)) return p;
	}
}

function fleet(): { snap: AuditSnapshot; planted: Set<number> } {
	const snap = emptySnapshot(NOW);
	const moduli: bigint[] = [];
	for (let i = 0; i < CERTS; i++) moduli.push(rand(2048));
	const planted = new Set<number>();
	for (let k = 0; k < PLANTED; k++) {
		const p = prime(1024);
		// planted certificates stay ACTIVE (every 50th certificate is INACTIVE)
		const a = ((k * 7919 + 13) % CERTS) | 1;
		const b = (Math.floor(k * 104729 + CERTS / 2) % CERTS) | 1;
		moduli[a] = p * prime(1024);
		moduli[b] = p * prime(1024);
		planted.add(a).add(b);
	}
	for (let i = 0; i < CERTS; i++) {
		const id = i.toString(16).padStart(64, '0');
		snap.certificates.push({
			certificateId: id, certificateArn: `arn:aws:iot:us-east-1:123456789012:cert/${id}`, status: i % 50 === 0 ? 'INACTIVE' : 'ACTIVE',
			caCertificateId: null, chain: [], subject: `CN=device-${i}`, issuer: 'CN=Fleet CA', serialNumber: i.toString(16).toUpperCase(),
			notBefore: NOW - 400 * DAY, notAfter: NOW + ((i % 400) - 10) * DAY, isCa: false,
			key: { algorithm: 'RSA', bits: i % 1000 === 7 ? 1024 : 2048, rsaModulus: moduli[i]!, rsaExponent: 65537n },
			creationDate: NOW - (i % 500) * DAY, lastModifiedDate: NOW - (i % 500) * DAY,
		});
		snap.connections.push({ clientId: `device-${i}`, certificateId: id, thingName: `device-${i}`, sourceIp: '10.0.0.1', connectedAt: NOW - 3 * DAY, disconnectedAt: i % 1000 === 1 ? null : NOW - 3 * DAY + 60_000, disconnectReason: null });
	}
	const A = 'arn:aws:iot:us-east-1:123456789012';
	for (let i = 0; i < POLICIES; i++) {
		const document: PolicyDocument =
			i % 20 === 0
				? { Statement: [{ Effect: 'Allow', Action: 'iot:*', Resource: '*' }] }
				: i % 50 === 1
					? { Statement: [{ Effect: 'Allow', Action: 'iot:Subscribe', Resource: `${A}:topicfilter/site${i}/*` }, { Effect: 'Deny', Action: 'iot:Subscribe', Resource: `${A}:topicfilter/site${i}/admin/*` }] }
					: {
							Statement: [
								{ Effect: 'Allow', Action: 'iot:Connect', Resource: `${A}:client/\${iot:Connection.Thing.ThingName}`, Condition: { Bool: { 'iot:Connection.Thing.IsAttached': 'true' } } },
								{ Effect: 'Allow', Action: ['iot:Publish', 'iot:Receive'], Resource: `${A}:topic/$aws/things/\${iot:Connection.Thing.ThingName}/*` },
								{ Effect: 'Allow', Action: 'iot:Subscribe', Resource: `${A}:topicfilter/$aws/things/\${iot:Connection.Thing.ThingName}/*` },
							],
						};
		snap.policies.push({ policyName: `policy-${i}`, policyArn: `${A}:policy/policy-${i}`, defaultVersionId: '1', document, creationDate: 0, lastModifiedDate: 0 });
	}
	return { snap, planted };
}

let t = performance.now();
const { snap, planted } = fleet();
console.log(`generated ${CERTS} certificates and ${POLICIES} policies in ${ms(performance.now() - t)}`);

// Baseline: pairwise gcd on a sample, scaled to every pair.
const sample = snap.certificates.slice(0, 300).map((c) => c.key.rsaModulus!);
t = performance.now();
let pairs = 0;
for (let i = 0; i < sample.length; i++) for (let j = i + 1; j < sample.length; j++, pairs++) gcd(sample[i]!, sample[j]!);
const perPair = (performance.now() - t) / pairs;
const pairwiseMs = perPair * ((CERTS * (CERTS - 1)) / 2);
console.log(`baseline, pairwise gcd estimate (${perPair.toFixed(4)} ms/pair over ${pairs} pairs): ${ms(pairwiseMs)}`);

// Batch GCD alone.
const moduli = snap.certificates.filter((c) => c.status === 'ACTIVE').map((c) => c.key.rsaModulus!);
t = performance.now();
batchGcd(moduli);
const gcdMs = performance.now() - t;
console.log(`batch GCD alone (${moduli.length} moduli): ${ms(gcdMs)}  (ratio pairwise / batch: ${(pairwiseMs / gcdMs).toFixed(1)}x)`);

// Full audit: every check, findings stored in SQLite.
const db = openSqlite(':memory:');
migrate(db, AUDIT_MIGRATIONS);
const clock = new VirtualClock(NOW);
const audit = new AuditService({ store: sqliteAuditStore(db), source: { snapshot: () => snap }, clock });
audit.updateAccountAuditConfiguration({ auditCheckConfigurations: Object.fromEntries(Object.keys(audit.effectiveChecks()).map((n) => [n, { enabled: true }])) });
t = performance.now();
const { taskId } = audit.startOnDemandAuditTask(Object.keys(audit.effectiveChecks()));
const totalMs = performance.now() - t;
const task = audit.describeAuditTask(taskId);
const shared = audit.listAuditFindings({ taskId, checkName: 'WARDEN_RSA_SHARED_PRIME_CHECK', maxResults: 1_000_000 }).items;
const flagged = new Set(shared.map((f) => parseInt(f.nonCompliantResource.resourceIdentifier.deviceCertificateId!, 16)));
const allPlanted = [...planted].every((i) => flagged.has(i));

console.log(`\naudit task ${taskId}: ${task.taskStatistics.nonCompliantChecks} non-compliant, ${task.taskStatistics.compliantChecks} compliant, ${task.taskStatistics.failedChecks} failed checks`);
for (const [name, d] of Object.entries(task.auditDetails)) {
	if (d.checkRunStatus === 'COMPLETED_NON_COMPLIANT') console.log(`  ${name.padEnd(48)} ${d.nonCompliantResourcesCount} of ${d.totalResourcesCount}`);
}
console.log(`planted shared-prime pairs found: ${allPlanted ? 'all' : 'NOT ALL'} (${planted.size} certificates; ${flagged.size} flagged in total, see header)`);
console.log(`\ntotal audit time (${CERTS} certificates, ${POLICIES} policies): ${ms(totalMs)}`);
console.log(`batch GCD alone (${moduli.length} moduli):                    ${ms(gcdMs)}`);
console.log(`baseline, pairwise gcd estimate (${perPair.toFixed(4)} ms/pair):   ${ms(pairwiseMs)}`);
console.log(`ratio pairwise / batch GCD: ${(pairwiseMs / gcdMs).toFixed(1)}x`);
db.close();
