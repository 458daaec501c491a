/**
 * `warden audit`: run an on-demand audit over the registry in `<data-dir>/warden.db` and print
 * the console-like report (docs/audit.md). Thin over AuditService and auditReport().
 *   warden audit run [--checks A,B] [--data-dir DIR]     → runs, then prints the report
 *   warden audit report [--task-id ID] [--json] [--data-dir DIR]
 *   warden audit checks                                  → the check catalogue
 */
import { join } from 'node:path';
import { systemClock } from '../../clock.ts';
import { AUDIT_CHECKS } from '../../audit/catalogue.ts';
import { auditReport, formatAuditReport } from '../../audit/report.ts';
import { AUDIT_MIGRATIONS } from '../../audit/schema.ts';
import { AuditService } from '../../audit/service.ts';
import { sqliteAuditStore } from '../../audit/store.ts';
import { sqliteConnectionHistory } from '../../registry/connection-history.ts';
import { openRegistry } from '../../registry/registry.ts';
import { registrySnapshot } from '../../registry/snapshot.ts';
import { migrate } from '../../storage/database.ts';
import { openSqlite } from '../../storage/sqlite.ts';
import { stringOption } from '../args.ts';
import type { Program } from '../index.ts';

interface Flags {
	'data-dir'?: unknown;
	checks?: unknown;
	'task-id'?: unknown;
	json?: unknown;
	'account-id'?: unknown;
	region?: unknown;
}

const say = (text: string) => process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);

function withAudit<T>(flags: Flags, fn: (audit: AuditService) => T): T {
	const db = openSqlite(join(stringOption('data-dir', flags['data-dir']), 'warden.db'));
	try {
		const accountId = String(flags['account-id'] ?? '123456789012');
		const region = String(flags.region ?? 'us-east-1');
		const reg = openRegistry({ db, clock: systemClock, accountId, region });
		migrate(db, AUDIT_MIGRATIONS);
		const source = registrySnapshot(reg, sqliteConnectionHistory(db));
		return fn(new AuditService({ store: sqliteAuditStore(db), source, clock: systemClock, accountId, region }));
	} finally {
		db.close();
	}
}

export function register(prog: Program): void {
	prog
		.command('audit run')
		.describe('Run an on-demand audit over the registry and print the report')
		.option('--checks', 'Comma-separated check names (default: every enabled check)')
		.option('--data-dir', 'Directory of warden.db', './.warden')
		.option('--account-id', 'AWS account id used in ARNs', '123456789012')
		.option('--region', 'AWS region used in ARNs', 'us-east-1')
		.action((flags: Flags) => {
			withAudit(flags, (audit) => {
				const enabled = Object.entries(audit.effectiveChecks()).filter(([, c]) => c.enabled).map(([n]) => n);
				const names = flags.checks === undefined ? enabled : String(flags.checks).split(',').map((s) => s.trim()).filter(Boolean);
				const { taskId } = audit.startOnDemandAuditTask(names);
				say(formatAuditReport(auditReport(audit, taskId)));
			});
		});
	prog
		.command('audit report')
		.describe('Print the report of an audit task (default: the latest completed one)')
		.option('--task-id', 'Audit task id')
		.option('--json', 'Print JSON instead of text', false)
		.option('--data-dir', 'Directory of warden.db', './.warden')
		.action((flags: Flags) => {
			withAudit(flags, (audit) => {
				const r = auditReport(audit, flags['task-id'] === undefined ? undefined : String(flags['task-id']));
				say(flags.json ? JSON.stringify(r, null, 2) : formatAuditReport(r));
			});
		});
	prog
		.command('audit checks')
		.describe('List every audit check with its severity and default state')
		.action(() => {
			for (const c of AUDIT_CHECKS) say(`${c.name.padEnd(62)} ${c.severity.padEnd(8)} ${c.enabledByDefault ? 'enabled' : 'disabled'} by default`);
		});
}
