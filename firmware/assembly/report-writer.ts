// Chooses the JSON or CBOR writer and the long or short key names for one report.
import { keyPtr, keyLen } from "./keys";
import { jsonReset, jsonMapStart, jsonMapEnd, jsonArrStart, jsonArrEnd, jsonKey, jsonUint, jsonNum, jsonStr } from "./json-writer";
import { cborMapStart, cborArrStart, cborStr, cborUint, cborNum } from "./cbor-writer";

let cbor: bool = false;
let shortKeys: bool = false;

export function wBegin(useCbor: bool, useShort: bool): void {
  cbor = useCbor;
  shortKeys = useShort;
  jsonReset();
}

/** Map with `n` entries (CBOR needs the count up front). */
export function wMap(n: i32): void { if (cbor) cborMapStart(n); else jsonMapStart(); }
export function wMapEnd(): void { if (!cbor) jsonMapEnd(); }
export function wArr(n: i32): void { if (cbor) cborArrStart(n); else jsonArrStart(); }
export function wArrEnd(): void { if (!cbor) jsonArrEnd(); }
/** Key from the key table. */
export function wKey(k: i32): void {
  const p = keyPtr(k, shortKeys);
  const n = keyLen(k, shortKeys);
  if (cbor) cborStr(p, n); else jsonKey(p, n);
}
export function wKeyBytes(p: usize, n: i32): void { if (cbor) cborStr(p, n); else jsonKey(p, n); }
export function wUint(v: u64): void { if (cbor) cborUint(v); else jsonUint(v); }
export function wNum(v: f64): void { if (cbor) cborNum(v); else jsonNum(v); }
export function wStr(p: usize, n: i32): void { if (cbor) cborStr(p, n); else jsonStr(p, n); }
