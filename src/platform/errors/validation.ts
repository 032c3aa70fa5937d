import { ValidationError, ValidationPipe } from '@nestjs/common';
import { DomainError, FieldError } from 'src/platform/errors/domain-error';

/** Constraints that say what kind of value a field takes: when one fails, it is the reason to give. */
const TYPE_CONSTRAINTS = new Set([
  'nestedValidation',
  'isString',
  'isInt',
  'isNumber',
  'isBoolean',
  'isUuid',
  'isIn',
  'isEnum',
  'isArray',
  'isObject',
  'isIso8601',
  'isDateString',
  'isEmail',
  'matches',
]);

/**
 * One reason per field, the one that helps: a missing field is "required", a wrong type names the type.
 * class-validator runs a property's decorators bottom-up, so "stop at the first error" reported e.g.
 * "name must be shorter than 150 characters" for a missing name, or "must not be greater than 100000"
 * for capacity "ten". All constraints are checked and the reason is picked here instead.
 */
function reasonOf(e: ValidationError): string | undefined {
  const constraints = e.constraints ?? {};
  const kinds = Object.keys(constraints);
  if (!kinds.length) return undefined;
  if (kinds.includes('whitelistValidation')) return 'unknown field';
  if (e.value === undefined || e.value === null) return `${e.property} is required`;
  const kind = kinds.find((k) => TYPE_CONSTRAINTS.has(k)) ?? kinds[kinds.length - 1];
  return constraints[kind];
}

function toFieldErrors(errors: ValidationError[], parent = ''): FieldError[] {
  return errors.flatMap((e) => {
    const pointer = `${parent}/${e.property}`;
    const reason = reasonOf(e);
    const own = reason ? [{ pointer, reason }] : [];
    return own.concat(toFieldErrors(e.children ?? [], pointer));
  });
}

/** The one validation pipe: unknown fields, wrong types and missing fields are 400 with a pointer each. */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    transform: true,
    // The value is read to tell "missing" from "wrong" (reasonOf); it is never put into a response or log.
    validationError: { target: false, value: true },
    exceptionFactory: (errors) => {
      const fieldErrors = toFieldErrors(errors);
      const detail = fieldErrors.map((f) => `${f.pointer}: ${f.reason}`).join('; ');
      return new DomainError('validationFailed', detail || 'the request is invalid', fieldErrors);
    },
  });
}
