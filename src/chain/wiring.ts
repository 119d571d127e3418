import type { App } from "./app";
import type { AppModule } from "./module";

/**
 * The modules after auth and bank, in begin/end-block order. Each module's factory gets the app
 * (keepers, routers) and returns its AppModule; keepers that other modules need are exposed on
 * the returned objects or through `app`.
 */
export function extraModules(_app: App): AppModule[] {
  return [];
}
