/**
 * A module's msg server as one table: service method name → MsgSpec (codec, signers, stateless
 * check, named handler). The table's type is derived from the generated `Msg` service interface
 * of the module's tx.proto (cosmjs-types or src/generated), so the compiler fails when a method of
 * the service has no entry (or names a message of the wrong type) unless the module lists it as not
 * served. `registerMsgServer` registers every entry with the router under the type URL
 * `/<proto package>.Msg<method>`.
 */
import type { Context } from "./context";
import type { MsgResponse, ProtoCodec, Registrar } from "./module";

/** Encodes a response message (a generated codec's `encode`). */
export interface ResponseCodec<R> {
  encode(message: R): { finish(): Uint8Array };
}

/**
 * One message of a msg server: its codec, signers, stateless check, handler and response codec
 * (the table supplies the type URL and module). `validateBasic` may return the parsed message
 * (`P`), which `handle` receives; `handle` returns the response message (`R`), which is encoded as
 * `<type URL>Response`.
 */
export interface MsgSpec<T, P = unknown, R = unknown> {
  readonly codec: ProtoCodec<T>;
  readonly response: ResponseCodec<R>;
  signers(msg: T): string[];
  validateBasic?(msg: T): P;
  handle(ctx: Context, msg: T, parsed: P): R;
}

/**
 * A table entry whose `validateBasic` returns exactly what `handle` takes (the compiler infers `P`
 * from both and fails if they disagree); without validateBasic, `handle` gets no parsed value.
 */
export function msgSpec<T, P, R>(spec: MsgSpec<T, P, R> & { validateBasic(msg: T): P }): MsgSpec<T, P, R>;
export function msgSpec<T, R>(spec: MsgSpec<T, undefined, R>): MsgSpec<T, undefined, R>;
export function msgSpec<T, P, R>(spec: MsgSpec<T, P, R>): MsgSpec<T, P, R> {
  return spec;
}

/** Request and response types of each method of a generated `Msg` service interface. */
type Request<M> = M extends (request: infer Req) => unknown ? Req : never;
type Response<M> = M extends (request: never) => Promise<infer Res> ? Res : never;

/**
 * The msg server table of service `S` (a generated `Msg` interface): one entry per method except
 * those in `NotServed` (messages of the proto service the chain does not implement, or that another
 * part of the module serves). A missing entry, an extra one, or one for another message or
 * response type is a compile error.
 */
export type MsgTable<S, NotServed extends keyof S = never> = {
  // `any`: each entry's parsed type is checked where msgSpec builds it; the table checks the rest.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  readonly [K in Exclude<keyof S, NotServed>]: MsgSpec<Request<S[K]>, any, Response<S[K]>>;
};

/** The type URL of method `method` of the Msg service of proto package `pkg`. */
export function msgTypeUrl(pkg: string, method: string): string {
  return `/${pkg}.Msg${method}`;
}

/**
 * Registers every entry of a msg server table with the router, in the table's order: type URL
 * `/<pkg>.Msg<method>`, `module` as the `message.module` event attribute, and the handler's
 * response encoded as `<type URL>Response`.
 */
export function registerMsgServer<S, N extends keyof S>(r: Registrar, pkg: string, module: string, table: MsgTable<S, N>): void {
  for (const [method, spec] of Object.entries(table) as [string, MsgSpec<unknown>][]) {
    const typeUrl = msgTypeUrl(pkg, method);
    const validateBasic = spec.validateBasic;
    r.msg<unknown>({
      typeUrl,
      module,
      codec: spec.codec,
      signers: (m) => spec.signers(m),
      ...(validateBasic === undefined ? {} : { validateBasic: (m: unknown) => validateBasic.call(spec, m) }),
      handle: (ctx, m, parsed): MsgResponse => ({ typeUrl: `${typeUrl}Response`, value: spec.response.encode(spec.handle(ctx, m, parsed)).finish() }),
    });
  }
}
