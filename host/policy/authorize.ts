/** One MQTT request (connect / publish / subscribe / receive) checked against the policies in effect. */
import { type ArnScope, IOT_ACTION, type MqttAction, mqttResourceArn } from './arn.ts';
import { type ConnectionFacts, policyContext } from './context.ts';
import { type EvaluationResult, type NamedPolicy, evaluatePolicies } from './evaluate.ts';

export interface MqttAuthResult extends EvaluationResult {
	action: MqttAction;
	/** The resource ARN that was evaluated. */
	resource: string;
}

/** `name` is the client id (connect), topic (publish, receive) or topic filter (subscribe). */
export function authorizeMqtt(policies: readonly NamedPolicy[], scope: ArnScope, action: MqttAction, name: string, facts: ConnectionFacts): MqttAuthResult {
	const resource = mqttResourceArn(scope, action, name);
	const ctx = policyContext({ ...facts, topic: action === 'connect' ? null : name });
	return { ...evaluatePolicies(policies, { action: IOT_ACTION[action], resource }, ctx), action, resource };
}
