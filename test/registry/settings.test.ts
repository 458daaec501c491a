import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import * as settings from '../../host/registry/settings.ts';
import { T0, memoryRegistry, throwsCode } from './fixture.ts';

const role = 'arn:aws:iam::123456789012:role/device-role';

const alias = suite('createRoleAlias');
alias('create, describe, list, delete, validation', () => {
	const { reg } = memoryRegistry();
	assert.equal(settings.createRoleAlias(reg, { roleAlias: 'cam', roleArn: role }), { roleAlias: 'cam', roleAliasArn: 'arn:aws:iot:us-east-1:123456789012:rolealias/cam' });
	assert.equal(settings.describeRoleAlias(reg, 'cam'), { roleAlias: 'cam', roleAliasArn: 'arn:aws:iot:us-east-1:123456789012:rolealias/cam', roleArn: role, owner: '123456789012', credentialDurationSeconds: 3600, creationDate: T0, lastModifiedDate: T0 });
	throwsCode(() => settings.createRoleAlias(reg, { roleAlias: 'cam', roleArn: role }), 'WARDEN_ERR_REGISTRY_EXISTS');
	throwsCode(() => settings.createRoleAlias(reg, { roleAlias: 'x', roleArn: 'role' }), 'WARDEN_ERR_REGISTRY_INVALID');
	throwsCode(() => settings.createRoleAlias(reg, { roleAlias: 'x', roleArn: role, credentialDurationSeconds: 60 }), 'WARDEN_ERR_REGISTRY_INVALID');
	settings.createRoleAlias(reg, { roleAlias: 'a', roleArn: role });
	assert.equal(settings.listRoleAliases(reg), ['a', 'cam']);
	settings.deleteRoleAlias(reg, 'cam');
	throwsCode(() => settings.describeRoleAlias(reg, 'cam'), 'WARDEN_ERR_REGISTRY_NOT_FOUND');
});
alias.run();

const v1 = suite('setLoggingOptions');
v1('v1 round trip, null before set', () => {
	const { reg } = memoryRegistry();
	assert.is(settings.getLoggingOptions(reg), null);
	settings.setLoggingOptions(reg, { roleArn: role, logLevel: 'INFO' });
	assert.equal(settings.getLoggingOptions(reg), { roleArn: role, logLevel: 'INFO' });
	throwsCode(() => settings.setLoggingOptions(reg, { roleArn: role, logLevel: 'LOUD' }), 'WARDEN_ERR_REGISTRY_INVALID');
});
v1.run();

const v2 = suite('setV2LoggingOptions');
v2('v2 round trip keeps unspecified members', () => {
	const { reg } = memoryRegistry();
	assert.is(settings.getV2LoggingOptions(reg), null);
	settings.setV2LoggingOptions(reg, { roleArn: role, defaultLogLevel: 'WARN' });
	settings.setV2LoggingOptions(reg, { disableAllLogs: true });
	assert.equal(settings.getV2LoggingOptions(reg), { roleArn: role, defaultLogLevel: 'WARN', disableAllLogs: true });
});
v2.run();
