/** Chain errors as the app shows them ("codespace:code", description, hint): see wallet/errors.ts. */
export * from "./wallet/errors";
