/** The REST gateway (grpc-gateway routes and JSON over the service backend). */
export { startRestServer, httpStatusOf, parseListenAddress, MAX_BODY_BYTES, type RestServer, type RestServerOptions } from "./server";
export { buildRoutes, findRoute, buildRequest, type Route, type RouteMatch } from "./router";
export { parseTemplate, matchTemplate, compareSpecificity, type Template } from "./template";
