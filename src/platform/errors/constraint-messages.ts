import { FieldError } from 'src/platform/errors/domain-error';

export interface ConstraintMessage {
  status: 409 | 422;
  message: string;
  pointer?: string;
  /**
   * For a foreign key, `message` is what a DELETE of a row still referred to is told; `missing` is what an
   * INSERT or UPDATE that refers to a row that does not exist (e.g. deleted meanwhile) is told instead.
   */
  missing?: Omit<ConstraintMessage, 'missing'>;
}

/**
 * Database constraint names mapped to what the client is told. Each context registers its own at import
 * time; an unregistered constraint still gets a clear, generic message (never SQL).
 */
const registry = new Map<string, ConstraintMessage>();

export function registerConstraintMessages(messages: Record<string, ConstraintMessage>): void {
  for (const [name, message] of Object.entries(messages)) registry.set(name, message);
}

export function constraintMessage(name: string | undefined): ConstraintMessage | undefined {
  return name ? registry.get(name) : undefined;
}

export function fieldErrorsOf(m: ConstraintMessage): FieldError[] {
  return m.pointer ? [{ pointer: m.pointer, reason: m.message }] : [];
}

/**
 * The message pair of a reference checked by a trigger or foreign key: deleting the referred row is 409; a row
 * that refers to one that does not exist is 422 (at `pointer`).
 */
export function referenceMessage(what: string, pointer?: string): ConstraintMessage {
  return { status: 409, message: `${what} is referred to`, missing: { status: 422, message: `${what} does not exist`, pointer } };
}
