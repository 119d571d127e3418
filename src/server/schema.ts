/**
 * The protobuf schema the API servers work from: the descriptor set generated from the SDK's
 * annotated protos and this repository's (src/generated/gateway/), loaded once into a registry,
 * with the fields whose JSON the SDK's gateway writes differently from plain proto3 JSON.
 */
import { createFileRegistry, fromBinary, type DescMessage, type DescMethod, type FileRegistry } from "@bufbuild/protobuf";
import { base64Decode } from "@bufbuild/protobuf/wire";
import { FileDescriptorSetSchema } from "@bufbuild/protobuf/wkt";
import { FILE_DESCRIPTOR_SET_BASE64 } from "../generated/gateway/descriptors";
import { DEC_FIELDS, NON_NULLABLE_FIELDS } from "../generated/gateway/fields";

export interface GatewaySchema {
  readonly registry: FileRegistry;
  /** "<message type>.<proto field name>" of every LegacyDec field (atomics on the wire, a decimal in JSON). */
  readonly decFields: ReadonlySet<string>;
  /** "<message type>.<proto field name>" of every non-nullable message field (written even when unset). */
  readonly nonNullable: ReadonlySet<string>;
}

let cached: GatewaySchema | undefined;

/** The gateway schema (memoised: the descriptor set is decoded once per process). */
export function gatewaySchema(): GatewaySchema {
  if (cached === undefined) {
    const set = fromBinary(FileDescriptorSetSchema, base64Decode(FILE_DESCRIPTOR_SET_BASE64));
    cached = { registry: createFileRegistry(set), decFields: new Set(DEC_FIELDS), nonNullable: new Set(NON_NULLABLE_FIELDS) };
  }
  return cached;
}

/** The message type named `typeName` ("cosmos.bank.v1beta1.QueryBalanceRequest"); throws if unknown. */
export function messageType(typeName: string): DescMessage {
  const desc = gatewaySchema().registry.getMessage(typeName);
  if (desc === undefined) throw new Error(`unknown message type ${typeName}`);
  return desc;
}

/** The method `/<service>/<method>` ("/cosmos.bank.v1beta1.Query/Balance"), or undefined. */
export function methodOf(path: string): DescMethod | undefined {
  const m = /^\/([^/]+)\/([^/]+)$/.exec(path);
  if (m === null) return undefined;
  const svc = gatewaySchema().registry.getService(m[1] ?? "");
  return svc?.methods.find((x) => x.name === m[2]);
}
