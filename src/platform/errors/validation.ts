import { ValidationError, ValidationPipe } from '@nestjs/common';
import { DomainError, FieldError } from 'src/platform/errors/domain-error';

function toFieldErrors(errors: ValidationError[], parent = ''): FieldError[] {
  return errors.flatMap((e) => {
    const pointer = `${parent}/${e.property}`;
    const own = Object.entries(e.constraints ?? {}).map(([kind, reason]) => ({
      pointer,
      reason: kind === 'whitelistValidation' ? 'unknown field' : reason,
    }));
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
    stopAtFirstError: true,
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => {
      const fieldErrors = toFieldErrors(errors);
      const detail = fieldErrors.map((f) => `${f.pointer}: ${f.reason}`).join('; ');
      return new DomainError('validationFailed', detail || 'the request is invalid', fieldErrors);
    },
  });
}
