/**
 * Server reflection (grpc.reflection.v1 and v1alpha, what `grpcurl list` / `describe` speak) over
 * the gateway's descriptor set, listing only the services the server actually serves.
 *
 * @grpc/reflection indexes the `fileDescriptorProtos` of a proto-loader package definition. It is
 * given the descriptor set's own files, byte for byte, rather than the definition
 * @grpc/proto-loader builds from the set (loadFileDescriptorSetFromBuffer): that one goes through
 * protobufjs, which regroups the files by package and drops their imports, so a client linking
 * what it receives cannot resolve a type of another file (grpcurl: `describe
 * cosmos.bank.v1beta1.Query` fails with "cannot resolve type *.base.v1beta1.Coin"). And since the
 * reflection service decodes the file list of every entry again, the files ride on one entry
 * (hundreds of entries each carrying them made every start cost seconds).
 */
import { ReflectionService } from "@grpc/reflection";
import { fromBinary } from "@bufbuild/protobuf";
import { FileDescriptorProtoSchema } from "@bufbuild/protobuf/wkt";
import { BinaryReader, WireType } from "@bufbuild/protobuf/wire";
import { FILE_DESCRIPTOR_SET_BASE64 } from "../../generated/gateway/descriptors";

/** The encoded FileDescriptorProtos of a FileDescriptorSet (field 1, repeated), as written. */
export function splitFileDescriptorSet(set: Uint8Array): Buffer[] {
  const files: Buffer[] = [];
  const reader = new BinaryReader(set);
  while (reader.pos < reader.len) {
    const [field, wireType] = reader.tag();
    if (field === 1 && wireType === WireType.LengthDelimited) files.push(Buffer.from(reader.bytes()));
    else reader.skip(wireType, field);
  }
  return files;
}

/** A proto-loader package definition, as @grpc/reflection takes it. */
type PackageDefinition = ConstructorParameters<typeof ReflectionService>[0];

export interface GatewayDescriptors {
  /** What @grpc/reflection indexes: one entry carrying every file of the set. */
  readonly pkg: PackageDefinition;
  /** Every service the set declares, fully qualified ("cosmos.bank.v1beta1.Query"). */
  readonly services: ReadonlySet<string>;
}

let memo: GatewayDescriptors | undefined;

/** The gateway's descriptor set as reflection input, and the services it declares; memoised. */
export function gatewayDescriptors(): GatewayDescriptors {
  if (memo !== undefined) return memo;
  const files = splitFileDescriptorSet(Buffer.from(FILE_DESCRIPTOR_SET_BASE64, "base64"));
  const services = new Set<string>();
  for (const bytes of files) {
    const file = fromBinary(FileDescriptorProtoSchema, bytes);
    for (const s of file.service) services.add(file.package === "" ? s.name : `${file.package}.${s.name}`);
  }
  // @grpc/reflection reads nothing of an entry but its fileDescriptorProtos.
  const carrier = { fileDescriptorProtos: files } as unknown as PackageDefinition[string];
  const pkg: PackageDefinition = { "google.protobuf.FileDescriptorSet": carrier };
  memo = { pkg, services };
  return memo;
}

/**
 * A reflection service (v1 and v1alpha) listing `served` (fully qualified service names). Those
 * without a descriptor are returned in `undescribed` (served, but not listed).
 */
export function reflectionFor(served: readonly string[]): { service: ReflectionService; undescribed: string[] } {
  const { pkg, services } = gatewayDescriptors();
  const listed = served.filter((s) => services.has(s));
  const undescribed = served.filter((s) => !services.has(s));
  return { service: new ReflectionService(pkg, { services: listed }), undescribed };
}
