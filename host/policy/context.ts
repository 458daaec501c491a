/**
 * The request context an IoT policy is evaluated against: the values behind policy variables
 * (`${iot:ClientId}`, `${iot:Connection.Thing.ThingName}`, ...) and condition keys. Keys are
 * case-insensitive (stored lower-cased), values are strings or string lists.
 */

export type ContextValue = string | readonly string[];
export type PolicyContext = ReadonlyMap<string, ContextValue>;

/** What the broker knows about the certificate a connection authenticated with. */
export interface CertificateFacts {
	/** Subject attributes by long name: CommonName, Organization, OrganizationalUnit, Country, Locality, State, ... */
	subject: Readonly<Record<string, string>>;
	issuer: Readonly<Record<string, string>>;
	serialNumber: string;
	/** Validity bounds, Unix ms. */
	notBefore: number;
	notAfter: number;
	/** subjectAltName entries by kind (DNSName, IPAddress, URI, EmailAddress). */
	subjectAlternativeName?: Readonly<Record<string, readonly string[]>>;
}

export interface ConnectionFacts {
	clientId: string;
	/** Thing attached to the connection's principal whose name equals the client id, else null. */
	thingName?: string | null;
	thingTypeName?: string | null;
	/** True when the client id names a thing attached to the connecting certificate (spec: iot:Connection.Thing.IsAttached). */
	isAttached?: boolean;
	thingAttributes?: Readonly<Record<string, string>>;
	certificate?: CertificateFacts | null;
	sourceIp?: string | null;
	/** The topic of the request (publish / receive) or topic filter (subscribe). */
	topic?: string | null;
}

/** Build the variable / condition-key map for one connection (and optionally one topic). */
export function policyContext(f: ConnectionFacts): PolicyContext {
	const m = new Map<string, ContextValue>();
	const put = (k: string, v: ContextValue | null | undefined) => {
		if (v !== undefined && v !== null) m.set(k.toLowerCase(), v);
	};
	put('iot:ClientId', f.clientId);
	put('iot:Connection.Thing.IsAttached', String(f.isAttached === true));
	if (f.thingName) {
		put('iot:Connection.Thing.ThingName', f.thingName);
		put('iot:Connection.Thing.ThingTypeName', f.thingTypeName ?? null);
		for (const [k, v] of Object.entries(f.thingAttributes ?? {})) put(`iot:Connection.Thing.Attributes[${k}]`, v);
	}
	const c = f.certificate;
	if (c) {
		for (const [k, v] of Object.entries(c.subject)) put(`iot:Certificate.Subject.${k}`, v);
		for (const [k, v] of Object.entries(c.issuer)) put(`iot:Certificate.Issuer.${k}`, v);
		put('iot:Certificate.SerialNumber', c.serialNumber);
		put('iot:Certificate.Validity.NotBefore', new Date(c.notBefore).toISOString());
		put('iot:Certificate.Validity.NotAfter', new Date(c.notAfter).toISOString());
		for (const [k, v] of Object.entries(c.subjectAlternativeName ?? {})) put(`iot:Certificate.SubjectAlternativeName.${k}`, v);
	}
	put('aws:SourceIp', f.sourceIp ?? null);
	put('iot:Topic', f.topic ?? null);
	return m;
}

/** Look up a key case-insensitively. */
export function contextValue(ctx: PolicyContext, key: string): ContextValue | undefined {
	return ctx.get(key.toLowerCase());
}
