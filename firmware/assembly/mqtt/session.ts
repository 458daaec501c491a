// Placeholder session (replaced by the MQTT client).
import { configValid } from "../config";
import { BAD_PARAM } from "../status";

export const IO_CAP: i32 = 10240;
export const IO_PTR: usize = memory.data(IO_CAP);

export function sessionInit(): void {}
export function sessionStep(): i32 { return configValid ? 1000 : BAD_PARAM; }
export function sessionReportNow(): void {}
export function sessionIoClobbered(): void {}
