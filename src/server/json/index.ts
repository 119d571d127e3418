/** The SDK gateway's JSON dialect over the gateway schema (src/server/schema.ts). */
export { toSdkJson, writeMessage } from "./writer";
export { fromSdkJson } from "./reader";
export { atomicsToDecimal, decimalToAtomics, DEC_PRECISION } from "./dec";
