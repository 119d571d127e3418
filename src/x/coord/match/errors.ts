/**
 * The one error the matcher throws. The keeper wraps it in `coord:7` (ErrInvalidDependency); the
 * message is written for the person who typed the component: what is wrong, and what is accepted.
 */
export class ComponentError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ComponentError";
  }
}

/** A value shown in an error message: quoted, and cut at 80 characters. */
export function shown(value: string): string {
  return JSON.stringify(value.length > 80 ? `${value.slice(0, 80)}…` : value);
}
