import type { Any } from "cosmjs-types/google/protobuf/any";
import type { Context } from "./context";
import { ErrTxDecode, ErrUnknownRequest, ErrInvalidRequest, ChainError } from "./errors";
import type { MsgResponse, MsgService, QueryService, Registrar } from "./module";

/** A decoded message, kept with its Any so that it can be re-checked and re-encoded exactly. */
export interface DecodedMsg {
  readonly any: Any;
  readonly value: unknown;
  /** What the service's validateBasic returned for `value` (undefined without one); see MsgService. */
  readonly parsed?: unknown;
  readonly service: MsgService<unknown>;
}

/**
 * Route guards run before a message executes, on every path that executes messages: top-level tx
 * messages and messages nested inside others (e.g. governance proposals). The circuit breaker
 * installs one; the ante chain runs the guards in its slot 0 (ante.ts) and `execute` runs them
 * again (docs/design.md §6). A guard throws a registered error to refuse. It gets the
 * decoded message when there is one (every execution path passes it), so that a decision may depend
 * on what the message carries (the breaker lets governance messages about accountability-only
 * proposals through); without it a guard decides by the type URL alone.
 */
export type RouteGuard = (ctx: Context, typeUrl: string, msg?: DecodedMsg) => void;

/** Message router: type URL → service. Also the one place where nested messages are executed. */
export class MsgRouter {
  private readonly services = new Map<string, MsgService<unknown>>();
  private readonly guards: RouteGuard[] = [];

  register<T, P>(service: MsgService<T, P>): void {
    if (this.services.has(service.typeUrl)) throw new Error(`message ${service.typeUrl} registered twice`);
    this.services.set(service.typeUrl, service as unknown as MsgService<unknown>);
  }

  addGuard(guard: RouteGuard): void {
    this.guards.push(guard);
  }

  /** `o` is a registered message service (code, not decoded data). */
  isService(o: object): boolean {
    const typeUrl = (o as { typeUrl?: unknown }).typeUrl;
    return typeof typeUrl === "string" && this.services.get(typeUrl) === o;
  }

  has(typeUrl: string): boolean {
    return this.services.has(typeUrl);
  }

  /** All registered type URLs, sorted (deterministic). */
  typeUrls(): string[] {
    return [...this.services.keys()].sort();
  }

  /** Decodes an Any into its message, with validateBasic. Unknown types → ErrUnknownRequest (6). */
  decode(any: Any): DecodedMsg {
    const service = this.services.get(any.typeUrl);
    if (service === undefined) {
      throw ErrUnknownRequest.wrap(`unrecognized message type ${JSON.stringify(any.typeUrl)}; no handler registered`);
    }
    let value: unknown;
    try {
      value = service.codec.decode(any.value);
    } catch (e) {
      throw ErrTxDecode.wrap(`cannot decode ${any.typeUrl}: ${e instanceof Error ? e.message : String(e)}`);
    }
    let parsed: unknown;
    try {
      parsed = service.validateBasic?.(value);
    } catch (e) {
      if (e instanceof ChainError) throw e;
      throw ErrInvalidRequest.wrap(`${any.typeUrl}: ${e instanceof Error ? e.message : String(e)}`);
    }
    return { any, value, parsed, service };
  }

  signers(msg: DecodedMsg): string[] {
    return msg.service.signers(msg.value);
  }

  checkGuards(ctx: Context, typeUrl: string, msg?: DecodedMsg): void {
    for (const g of this.guards) g(ctx, typeUrl, msg);
  }

  /** Executes one message after the route guards. Used for tx messages and nested messages alike. */
  execute(ctx: Context, msg: DecodedMsg): MsgResponse {
    this.checkGuards(ctx, msg.any.typeUrl, msg);
    return msg.service.handle(ctx, msg.value, msg.parsed);
  }
}

interface ErasedQuery {
  handle(ctx: Context, data: Uint8Array): Uint8Array;
}

/** Query router: ABCI query path `/<service>/<method>` → handler with protobuf request/response. */
export class QueryRouter {
  private readonly routes = new Map<string, ErasedQuery>();

  register<Req, Res>(q: QueryService<Req, Res>): void {
    const path = `/${q.service}/${q.method}`;
    if (this.routes.has(path)) throw new Error(`query ${path} registered twice`);
    this.routes.set(path, {
      handle(ctx: Context, data: Uint8Array): Uint8Array {
        let req: Req;
        try {
          req = q.request.decode(data);
        } catch (e) {
          throw ErrTxDecode.wrap(`cannot decode request for ${path}: ${e instanceof Error ? e.message : String(e)}`);
        }
        return q.response.encode(q.handle(ctx, req)).finish();
      },
    });
  }

  has(path: string): boolean {
    return this.routes.has(path);
  }

  /** Every registered path, sorted. */
  paths(): string[] {
    return [...this.routes.keys()].sort();
  }

  handle(ctx: Context, path: string, data: Uint8Array): Uint8Array {
    const route = this.routes.get(path);
    if (route === undefined) throw ErrUnknownRequest.wrap(`unknown query path ${JSON.stringify(path)}`);
    return route.handle(ctx, data);
  }
}

export function registrarFor(msgs: MsgRouter, queries: QueryRouter): Registrar {
  return {
    msg: (s) => msgs.register(s),
    query: (q) => queries.register(q),
  };
}
